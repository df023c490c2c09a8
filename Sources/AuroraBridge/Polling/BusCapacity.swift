import AuroraProtocol

/// How much polling one RS485 bus carries: the estimate behind the start-up and check-config
/// warning that the configured poll intervals need more than the bus can give.
///
/// A full poll is one state request, every polled measure, every energy counter and the
/// clock and the last alarms: ``transactionsPerPoll`` transactions. Each moves a 10-byte request and an 8-byte reply
/// of 10 bits per byte (start, 8 data, stop), waits the command delay and the inverter's turn
/// round (``turnaround``). At 19200 baud that is about 0.35 s a poll: three polls a second.
public struct BusCapacity: Sendable, Equatable {
    /// The serial speed in bits per second.
    public var baudRate: Int
    /// The pause between request and reply, in seconds.
    public var commandDelay: Double

    /// A bus at `baudRate` with `commandDelay` seconds between request and reply.
    public init(baudRate: Int, commandDelay: Double = 0) {
        self.baudRate = baudRate
        self.commandDelay = commandDelay
    }

    /// Transactions in one full poll.
    public static let transactionsPerPoll = 1 + MeasureType.polled.count + EnergyPeriod.allCases.count + 1 + 1
    /// Bits on the wire per transaction: 18 bytes of 10 bits.
    static let bitsPerTransaction = 18 * 10
    /// The inverter's time to start answering, in seconds (an estimate).
    static let turnaround = 0.001

    /// Seconds one full poll keeps the bus busy.
    public var pollSeconds: Double {
        let transaction = Double(Self.bitsPerTransaction) / Double(baudRate) + commandDelay + Self.turnaround
        return Double(Self.transactionsPerPoll) * transaction
    }

    /// The share of the bus's time that polling at `intervals` (seconds, one per inverter)
    /// needs; above 1 the polls cannot all keep their intervals.
    public func load(intervals: [Double]) -> Double {
        intervals.reduce(0) { $0 + pollSeconds / $1 }
    }

    /// The smallest poll interval in whole seconds at which `count` inverters, all polled at
    /// it, fit on the bus.
    public func fittingInterval(inverters count: Int) -> Int {
        Int((Double(count) * pollSeconds).rounded(.up))
    }

    /// The warning to give when polling at `intervals` needs more than the bus carries, nil
    /// when it fits.
    public func warning(intervals: [Double]) -> String? {
        let load = load(intervals: intervals)
        guard load > 1 else { return nil }
        let percent = Int((load * 100).rounded())
        return "the poll intervals need \(percent)% of the bus (a full poll takes about "
            + "\((pollSeconds * 100).rounded() / 100) s at \(baudRate) baud): inverters will be polled less often than configured, "
            + "in turn; a poll_interval of \(fittingInterval(inverters: intervals.count)) s or more for every inverter fits"
    }
}

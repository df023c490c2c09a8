/// Turns the loop packets of many inverters into archive records, one per inverter per interval.
///
/// Pure: it never reads a clock. The daemon passes each packet to ``add(_:)`` and, from a timer
/// at each interval boundary, calls ``close(through:)`` so that a record appears on time even
/// when no further packet arrives (at dusk). An interval without packets produces no record.
///
/// Timing: a packet is stamped when its poll *starts*, in whole seconds rounded down, so a poll
/// running across a boundary, or starting less than a second after it, delivers a packet of the
/// interval that just ended. The timer should therefore call `close(through: boundary)` a grace
/// period after the boundary (longer than one poll, plus 1 s); a packet of an interval that is
/// already closed is ignored and counted in ``ignoredPackets``.
public struct Archiver: Sendable {
    /// The interval length.
    public let interval: ArchiveInterval
    /// Extractors chosen by the user, by canonical field name (others use the defaults of
    /// ``Extractor/primary(for:overrides:)``).
    public let overrides: [String: Extractor]
    /// How many packets were ignored because their interval was already closed (packets out
    /// of order, or late after ``close(through:)``).
    public private(set) var ignoredPackets = 0
    private var open: [String: IntervalAccumulator] = [:]
    private var closedThrough = Int64.min

    /// An archiver with no open interval.
    /// - Parameters:
    ///   - interval: The interval length.
    ///   - overrides: Extractors chosen by the user, by canonical field name.
    public init(interval: ArchiveInterval, overrides: [String: Extractor] = [:]) {
        self.interval = interval
        self.overrides = overrides
    }

    /// Adds a packet to its inverter's open interval.
    ///
    /// A packet of a later interval closes the inverter's open interval and opens a new one. A
    /// packet of an earlier interval than the open one, or of an interval already closed by
    /// ``close(through:)``, is ignored and counted in ``ignoredPackets``.
    /// - Returns: The record of the interval this packet closed, if any.
    public mutating func add(_ packet: LoopPacket) -> [ArchiveRecord] {
        let end = interval.end(containing: packet.dateTime)
        guard end > closedThrough else {
            ignoredPackets += 1
            return []
        }
        guard var current = open[packet.inverter] else {
            open[packet.inverter] = IntervalAccumulator(first: packet, interval: interval)
            return []
        }
        if end == current.end {
            current.add(packet)
            open[packet.inverter] = current
            return []
        }
        if end < current.end {
            ignoredPackets += 1
            return []
        }
        open[packet.inverter] = IntervalAccumulator(first: packet, interval: interval)
        return [current.record(overrides: overrides)]
    }

    /// Closes every open interval that ends at or before `now`.
    ///
    /// Later packets stamped at or before `now` are ignored. A record already produced is not
    /// produced again.
    /// - Parameter now: Unix seconds; usually an interval boundary (see the type's timing note).
    /// - Returns: The records of the closed intervals, oldest first, then by inverter name.
    public mutating func close(through now: Int64) -> [ArchiveRecord] {
        closedThrough = max(closedThrough, now)
        let ended = open.values.filter { $0.end <= now }
        for accumulator in ended { open[accumulator.inverter] = nil }
        return ended.sorted(by: Self.isOlder).map { $0.record(overrides: overrides) }
    }

    /// The open intervals, by inverter name, for the daemon to save on shutdown.
    public func snapshot() -> [IntervalAccumulator] {
        open.values.sorted { $0.inverter < $1.inverter }
    }

    /// Reopens intervals saved by ``snapshot()`` before a restart.
    ///
    /// Call it on a new archiver, before the first packet, then call ``close(through:)`` with the
    /// current time: a saved interval that ended while the daemon was down is closed then, and
    /// its record (over the packets it had) is not lost; one still running continues to collect
    /// packets. A saved interval that cannot continue—its length differs from ``interval`` (the
    /// configuration changed), or its inverter already has an open interval—is closed at once.
    /// - Returns: The records of the saved intervals closed at once, oldest first.
    public mutating func restore(_ saved: [IntervalAccumulator]) -> [ArchiveRecord] {
        var closed: [IntervalAccumulator] = []
        for accumulator in saved {
            if accumulator.interval == interval.seconds, open[accumulator.inverter] == nil {
                open[accumulator.inverter] = accumulator
            } else {
                closed.append(accumulator)
            }
        }
        return closed.sorted(by: Self.isOlder).map { $0.record(overrides: overrides) }
    }

    private static func isOlder(_ a: IntervalAccumulator, _ b: IntervalAccumulator) -> Bool {
        (a.end, a.inverter) < (b.end, b.inverter)
    }
}

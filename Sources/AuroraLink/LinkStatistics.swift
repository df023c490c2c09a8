/// Counters of what happened on a bus since the ``Link`` was created.
public struct LinkStatistics: Sendable, Hashable, Codable {
    /// Requests sent, retries included.
    public var requests = 0
    /// Valid replies received.
    public var replies = 0
    /// Attempts that got no byte at all before the read timeout.
    public var timeouts = 0
    /// Attempts whose reply had 8 bytes but a wrong CRC.
    public var crcErrors = 0
    /// Attempts whose reply stopped short of 8 bytes.
    public var shortReplies = 0
    /// Valid replies found after skipping stray bytes in front of them.
    public var resynchronisations = 0
    /// Times the port was closed and opened again (after repeated bad replies or a lost device).
    public var reopens = 0
    /// Times the port came back after it was lost (a vanished device, a dropped connection).
    public var recoveries = 0
    /// Replies with a non-zero transmission state.
    public var refusals = 0
    /// Times the link proved the byte stream aligned again after a fault, by the known answer
    /// of a probe (see ``Link``).
    public var realignments = 0
    /// Valid frames thrown away because they could not be the reply asked for: late replies
    /// skipped while realigning, frames beyond the one expected, known answers to other items.
    public var discardedFrames = 0
    /// Seconds spent in transactions (retries, realignment and command delays included): the
    /// time the bus was busy. The share of an interval it grew by is the bus utilization.
    public var busySeconds = 0.0
    /// The reply timeout of each inverter that answered, by address: learned from its replies
    /// (see ``Link``), or the read timeout when learning is off.
    public var replyTimeouts: [UInt8: Duration] = [:]

    /// All counters at zero.
    public init() {}
}

/// A fault the simulator injected into one reply.
public enum InjectedFault: Sendable, Hashable, CustomStringConvertible {
    /// The reply was not sent at all.
    case dropped
    /// The reply was sent with its last CRC byte inverted.
    case corruptedCRC
    /// `count` stray bytes were written before the complete reply.
    case garbageBefore(count: Int)
    /// Only the first `count` bytes of the reply were written.
    case truncated(count: Int)
    /// The complete reply went out late, held this long beyond the usual reply delay.
    case late(by: Duration)

    /// Whether the client could still find the complete, valid reply in what was written.
    public var replyArrivesIntact: Bool {
        switch self {
        case .garbageBefore, .late: true
        case .dropped, .corruptedCRC, .truncated: false
        }
    }

    /// A short human-readable description.
    public var description: String {
        switch self {
        case .dropped: "dropped"
        case .corruptedCRC: "corrupted CRC"
        case .garbageBefore(let count): "\(count) garbage bytes before the reply"
        case .truncated(let count): "truncated to \(count) bytes"
        case .late(let delay): "sent \(delay) late"
        }
    }
}

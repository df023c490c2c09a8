/// Something asked of the poller between its visits, so that it never interleaves with a poll
/// on the bus. See ``PollerRequests``.
public struct PollerRequest: Sendable {
    /// What to do.
    public enum Kind: Sendable, Equatable {
        /// Poll the inverter now (its packet is published the normal way).
        case read
        /// Set the inverter clock to the host's time, reading it before and after.
        case setTime
        /// Compare the inverter clock with the host's and set it when it is off by more than
        /// `tolerance` seconds and the host clock is synchronised.
        case syncClock(tolerance: Double, host: HostClockState)

        /// The command name in results.
        public var command: String {
            switch self {
            case .read: "read"
            case .setTime: "set_time"
            case .syncClock: "clock_sync"
            }
        }
    }

    /// The configured name of the inverter.
    public let inverter: String
    /// What to do.
    public let kind: Kind
    /// Receives the result, exactly once.
    let reply: @Sendable (CommandResult) -> Void

    /// Answers the request with `ok` and `message`.
    func answer(ok: Bool, _ message: String, before: Int? = nil, after: Int? = nil) {
        reply(CommandResult(
            command: kind.command, inverter: inverter, ok: ok, message: message, clockErrorBefore: before,
            clockErrorAfter: after))
    }
}

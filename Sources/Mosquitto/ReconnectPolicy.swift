/// How long libmosquitto's network thread waits between reconnection attempts.
///
/// With back-off, the n-th consecutive wait is `minimumDelay × n²`, capped at `maximumDelay`;
/// without, it is `minimumDelay × n`, capped likewise (libmosquitto's rule). Delays are whole
/// seconds; libmosquitto waits at least one second.
public struct ReconnectPolicy: Sendable, Hashable {
    /// The first wait after a failed or lost connection.
    public var minimumDelay: Duration
    /// The longest wait.
    public var maximumDelay: Duration
    /// Whether the wait grows quadratically (`true`) or linearly.
    public var exponentialBackoff: Bool

    /// Creates a policy; the defaults wait 1 s, growing to 30 s.
    public init(minimumDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(30), exponentialBackoff: Bool = true) {
        self.minimumDelay = minimumDelay
        self.maximumDelay = maximumDelay
        self.exponentialBackoff = exponentialBackoff
    }

    var minimumSeconds: UInt32 { Self.wholeSeconds(minimumDelay) }
    var maximumSeconds: UInt32 { max(Self.wholeSeconds(maximumDelay), minimumSeconds) }

    private static func wholeSeconds(_ duration: Duration) -> UInt32 {
        UInt32(clamping: max(duration.components.seconds, 1))
    }
}

/// How long the client waits before each reconnection attempt.
///
/// With back-off, the n-th consecutive wait is `minimumDelay × n²`, capped at `maximumDelay`;
/// without, it is `minimumDelay × n`, capped likewise (libmosquitto's rule). The count starts
/// again only after a connection has lasted ``stablePeriod``, so a broker that accepts and drops
/// the client at once (or another client taking over the same client id) is not hammered.
public struct ReconnectPolicy: Sendable, Hashable {
    /// The first wait after a failed or lost connection (at least 10 ms).
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

    /// The wait before the next attempt after `failures` consecutive failures (1 for the first).
    public func delay(afterFailures failures: Int) -> Duration {
        let minimum = max(minimumDelay, .milliseconds(10))
        let count = min(max(failures, 1), 1000)
        let grown = minimum * (exponentialBackoff ? count * count : count)
        return min(grown, max(maximumDelay, minimum))
    }

    /// How long a connection must last for the next loss to start again from ``minimumDelay``:
    /// the longest wait.
    public var stablePeriod: Duration { max(maximumDelay, minimumDelay) }
}

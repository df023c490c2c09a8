/// Waits for conditions in tests without sleeping blindly: poll a condition until it holds or a
/// deadline passes.
public enum Deadline {
    /// How long the MQTT fixtures (``MosquittoEventLog``, ``TestSubscriber``) wait for an event
    /// by default: what bounds "it happens at all", not a time target. At the start of the
    /// parallel suite, hundreds of tests start brokers, simulators and bridges at once on 2
    /// cores, and an event that takes milliseconds alone has been seen to take over 5 s.
    public static let eventTimeout = Duration.seconds(20)

    /// Thrown when a condition did not become true in time.
    public struct Expired: Error, CustomStringConvertible {
        /// What was awaited.
        public let what: String
        /// How long it was awaited.
        public let timeout: Duration
        public var description: String { "timed out after \(timeout) waiting for \(what)" }
    }

    /// Returns as soon as `condition` returns a value; throws ``Expired`` after `timeout`.
    /// The condition is checked every `interval` (default 10 ms).
    @discardableResult
    public static func wait<T>(
        for what: String,
        timeout: Duration = .seconds(10),
        interval: Duration = .milliseconds(10),
        _ condition: () async throws -> T?
    ) async throws -> T {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        while true {
            if let value = try await condition() { return value }
            if clock.now >= end { throw Expired(what: what, timeout: timeout) }
            try await Task.sleep(for: interval)
        }
    }

    /// Returns as soon as `condition` is true; throws ``Expired`` after `timeout`.
    public static func until(
        _ what: String,
        timeout: Duration = .seconds(10),
        interval: Duration = .milliseconds(10),
        _ condition: () async throws -> Bool
    ) async throws {
        try await wait(for: what, timeout: timeout, interval: interval) {
            try await condition() ? true : nil
        }
    }
}

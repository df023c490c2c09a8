/// What a watchdog needs to know about a ``MosquittoClient``'s network thread and connection.
///
/// Read it with ``MosquittoClient/health`` and judge it with ``problem(at:maxDisconnected:maxLoopSilence:)``;
/// instants come from `ContinuousClock` (monotonic), so pass `ContinuousClock.now`.
public struct MosquittoHealth: Sendable, Equatable {
    /// Where the network thread is.
    public enum Loop: Sendable, Equatable {
        /// ``MosquittoClient/connect()`` has not been called.
        case notStarted
        /// Running: connected, or reconnecting with the back-off.
        case running
        /// Ended: after ``MosquittoClient/disconnect()`` (or, never expected, on its own).
        case ended
    }

    /// Why the client needs outside help (a restart).
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The network thread has ended, so nothing will ever be sent or received again.
        case loopEnded
        /// The network thread has not gone round its loop for this long: it is stuck.
        case loopStalled(for: Duration)
        /// No broker has accepted a connection for this long, and reconnecting keeps failing.
        case disconnectedTooLong(for: Duration, failures: Int)

        public var description: String {
            switch self {
            case .loopEnded:
                "the MQTT network thread has ended"
            case .loopStalled(let duration):
                "the MQTT network thread has been stuck for \(duration)"
            case .disconnectedTooLong(let duration, let failures):
                "disconnected from the broker for \(duration) (\(failures) failed connection attempts)"
            }
        }
    }

    /// Where the network thread is.
    public var loop: Loop
    /// When the network thread last went round its loop (at least once a second while running).
    public var lastLoopActivity: ContinuousClock.Instant?
    /// Since when no broker connection has been up: from ``MosquittoClient/connect()`` until the
    /// first CONNACK, and from each loss until the next. `nil` while connected.
    public var disconnectedSince: ContinuousClock.Instant?
    /// Losses and failed connection attempts since the broker last accepted the connection.
    public var consecutiveFailures: Int
    /// Since when the broker connection has been up (within a second of its CONNACK); `nil`
    /// while disconnected.
    public var connectedSince: ContinuousClock.Instant?

    /// Creates a health report (for tests and fakes); the default is a client not yet started.
    public init(
        loop: Loop = .notStarted,
        lastLoopActivity: ContinuousClock.Instant? = nil,
        disconnectedSince: ContinuousClock.Instant? = nil,
        consecutiveFailures: Int = 0,
        connectedSince: ContinuousClock.Instant? = nil
    ) {
        self.connectedSince = connectedSince
        self.loop = loop
        self.lastLoopActivity = lastLoopActivity
        self.disconnectedSince = disconnectedSince
        self.consecutiveFailures = consecutiveFailures
    }

    /// The reason to restart the process at `now`, or `nil` if the client copes by itself.
    ///
    /// - Parameters:
    ///   - maxDisconnected: how long the client may stay disconnected while reconnects keep
    ///     failing (the bridge's `[mqtt] max_disconnected`).
    ///   - maxLoopSilence: how long the network thread may go without a round of its loop;
    ///     it goes round at least once a second, so the default minute means it is stuck.
    public func problem(
        at now: ContinuousClock.Instant, maxDisconnected: Duration, maxLoopSilence: Duration = .seconds(60)
    ) -> Problem? {
        switch loop {
        case .notStarted: return nil
        case .ended: return .loopEnded
        case .running: break
        }
        if let lastLoopActivity, now - lastLoopActivity > maxLoopSilence {
            return .loopStalled(for: now - lastLoopActivity)
        }
        if let disconnectedSince, consecutiveFailures > 0, now - disconnectedSince > maxDisconnected {
            return .disconnectedTooLong(for: now - disconnectedSince, failures: consecutiveFailures)
        }
        return nil
    }
}

/// Receives a poller's events (the publisher and the archive, wired by the bridge).
public protocol PollerSink: Sendable {
    /// Handles one event; the poller waits for it before going on.
    func handle(_ event: PollerEvent) async
}

/// What the bridge's services share about how the bridge is doing: when the poller last made
/// progress (on the monotonic clock) and whether systemd was told the bridge is ready.
///
/// `READY=1` is sent once, at the first sign of life: the first finished poll or the first
/// connection to the broker, whichever comes first.
final class BridgeProgress: Sendable {
    private let lastProgress: Locked<Double>
    private let ready = Locked(false)
    private let notifier: SystemdNotifier
    private let readyStatus: String

    /// Progress starting at `now` (monotonic seconds); `readyStatus` is the `STATUS=` sent with
    /// `READY=1`.
    init(now: Double, notifier: SystemdNotifier, readyStatus: String) {
        lastProgress = Locked(now)
        self.notifier = notifier
        self.readyStatus = readyStatus
    }

    /// The poller finished a poll or probe at `now` (monotonic seconds).
    func pollerProgressed(at now: Double) {
        lastProgress.withLock { $0 = now }
        announceReady()
    }

    /// Monotonic seconds of the last poll or probe the poller finished.
    var lastPollerProgress: Double { lastProgress.value }

    /// Tells systemd the bridge is up, the first time only.
    func announceReady() {
        if ready.withLock({ wasReady in defer { wasReady = true }; return !wasReady }) {
            notifier.notify("READY=1\nSTATUS=\(readyStatus)")
        }
    }
}

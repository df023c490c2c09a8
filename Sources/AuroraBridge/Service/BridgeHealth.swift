/// Whether the bridge is healthy enough to keep pinging systemd's watchdog: a pure decision on
/// readings of the monotonic clock, so that a step of the wall clock can neither hide a stall
/// nor fake one.
struct BridgeHealth: Sendable, Hashable {
    /// How long the poller may go without finishing a poll or a probe, in seconds.
    var pollerPatience: Double

    /// The patience for `configuration`: twice the longest wait between two visits of an
    /// inverter (a poll interval or the probe back-off) plus the slowest possible full poll (40
    /// requests, each with all its tries timing out).
    init(configuration: BridgeConfiguration) {
        let slowestPoll = configuration.bus.readTimeout.seconds * Double(configuration.bus.maxTries) * 40
        let longestWait = max(configuration.bus.probeMax.seconds, configuration.inverters.map(\.pollInterval.seconds).max() ?? 0)
        pollerPatience = longestWait * 2 + slowestPoll
    }

    /// A health rule with this patience.
    init(pollerPatience: Double) {
        self.pollerPatience = pollerPatience
    }

    /// Why the bridge is not healthy at monotonic time `now`, or nil when it is.
    /// - Parameter lastPollerProgress: monotonic time of the last poll or probe the poller finished.
    func problem(now: Double, lastPollerProgress: Double) -> String? {
        let stalled = now - lastPollerProgress
        if stalled >= pollerPatience { return "the poller made no progress for \(Int(stalled)) s" }
        return nil
    }
}

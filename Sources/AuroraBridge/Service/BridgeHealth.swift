import Mosquitto

/// Whether the bridge is healthy enough to keep pinging systemd's watchdog: a pure decision on
/// readings of the monotonic clock, so that a step of the wall clock can neither hide a stall
/// nor fake one.
///
/// Unhealthy means the poller has not finished a poll or a probe within its patience, or the
/// MQTT side needs a restart: its network thread is gone or stuck, or no broker accepted the
/// connection for longer than `[mqtt] max_disconnected` while reconnects keep failing.
struct BridgeHealth: Sendable, Hashable {
    /// How long the poller may go without finishing a poll or a probe, in seconds.
    var pollerPatience: Double
    /// How long the MQTT client may stay disconnected while reconnects keep failing.
    var maxDisconnected: Duration

    /// The patience for `configuration`: twice the longest wait between two visits of an
    /// inverter (a poll interval or the probe back-off) plus the slowest possible full poll (40
    /// requests, each with all its tries timing out).
    init(configuration: BridgeConfiguration) {
        let slowestPoll = configuration.bus.readTimeout.seconds * Double(configuration.bus.maxTries) * 40
        let longestWait = max(configuration.bus.probeMax.seconds, configuration.inverters.map(\.pollInterval.seconds).max() ?? 0)
        pollerPatience = longestWait * 2 + slowestPoll
        maxDisconnected = configuration.mqtt.maxDisconnected
    }

    /// A health rule with these limits.
    init(pollerPatience: Double, maxDisconnected: Duration) {
        self.pollerPatience = pollerPatience
        self.maxDisconnected = maxDisconnected
    }

    /// Why the bridge is not healthy, or nil when it is.
    /// - Parameters:
    ///   - now: the bridge clock's monotonic time.
    ///   - lastPollerProgress: monotonic time of the last poll or probe the poller finished.
    ///   - mqtt: the MQTT client's health, read at `mqttNow`.
    func problem(now: Double, lastPollerProgress: Double, mqtt: MosquittoHealth, mqttNow: ContinuousClock.Instant) -> String? {
        let stalled = now - lastPollerProgress
        if stalled >= pollerPatience { return "the poller made no progress for \(Int(stalled)) s" }
        return mqtt.problem(at: mqttNow, maxDisconnected: maxDisconnected).map(\.description)
    }
}

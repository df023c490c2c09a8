/// What set an inverter's clock.
public enum ClockCorrection: String, Sendable, Hashable {
    /// The `set_time` command (MQTT or `aurora-bridge set-time`).
    case command
    /// `clock_sync = "daily"`.
    case dailySync = "daily_sync"
}

/// What happened: the `event_type` of an event (see docs/events.md).
public enum EventType: String, Sendable, Hashable, CaseIterable, Codable {
    /// An inverter raised an alarm (its polled alarm state, or its last-alarms list).
    case alarmRaised = "alarm_raised"
    /// An inverter's polled alarm state went back to no alarm, or to another alarm.
    case alarmCleared = "alarm_cleared"
    /// An inverter's global state changed.
    case stateChanged = "state_changed"
    /// An inverter became `online`, `asleep` or `unreachable`.
    case availabilityChanged = "availability_changed"
    /// An inverter's clock was set, by command or by the daily sync.
    case clockCorrected = "clock_corrected"
    /// The bridge started.
    case started
    /// The bridge stopped (for good or for a reload).
    case stopped
    /// The bridge re-read its configuration (SIGHUP).
    case configurationReloaded = "configuration_reloaded"
    /// The connection to the broker was lost.
    case brokerLost = "broker_lost"
    /// The connection to the broker came back, after an outage of `seconds`.
    case brokerRegained = "broker_regained"
    /// The archive database could not be written: records wait in memory.
    case archiveDegraded = "archive_degraded"
    /// The archive database can be written again.
    case archiveRecovered = "archive_recovered"
    /// The serial port (or TCP adapter) was lost and opened again.
    case portReopened = "port_reopened"

    /// The types an inverter's events have, for Home Assistant's `event_types`.
    public static let inverterTypes: [EventType] = [.alarmRaised, .alarmCleared, .stateChanged, .availabilityChanged, .clockCorrected]

    /// The types the bridge's own events have.
    public static let bridgeTypes: [EventType] = [
        .started, .stopped, .configurationReloaded, .brokerLost, .brokerRegained, .archiveDegraded, .archiveRecovered, .portReopened,
    ]
}

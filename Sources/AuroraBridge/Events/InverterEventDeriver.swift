import AuroraProtocol

/// Tells an inverter's events from what the poller reports: the alarm raised and cleared, the
/// global state changed, the availability changed, and alarms its last-alarms list (command 86)
/// shows that no poll saw. Pure: the caller passes the time and the list as last stored.
///
/// - The first state and availability of an inverter after start are the baseline: an alarm
///   already in force then is not raised again (the run before recorded it); one that came and
///   went while the bridge was stopped shows in the list.
/// - An alarm the list shows that the polled state did not is raised with `reported_late`; if
///   the next poll then sees it in force, it is not raised a second time.
/// - The first list ever read of an inverter is the baseline: old alarms are not recorded.
public struct InverterEventDeriver: Sendable {
    private var lastStatus: [String: InverterStatus] = [:]
    private var lastAvailability: [String: Availability] = [:]
    /// Alarm codes raised by polling since the list was last read, per inverter.
    private var polled: [String: [UInt8]] = [:]
    /// Alarm codes raised from the list since the last polled state, per inverter.
    private var reportedLate: [String: [UInt8]] = [:]

    /// A deriver that has seen nothing yet.
    public init() {}

    /// The events of `event` at `time` (Unix s): for a state, its alarm and global state
    /// changes; for an availability, its change; a clock correction. Nothing for the others.
    public mutating func events(for event: PollerEvent, at time: Int64) -> [BridgeEvent] {
        switch event {
        case .status(let inverter, let status):
            defer {
                lastStatus[inverter] = status
                reportedLate[inverter] = []
            }
            guard let previous = lastStatus[inverter] else { return [] }
            // In the order they follow from each other: an alarm raised, the state it brings,
            // the state returning, the alarm cleared.
            var events: [BridgeEvent] = []
            if previous.alarm != status.alarm, status.alarm.code != 0 {
                polled[inverter, default: []].append(status.alarm.code)
                if let index = reportedLate[inverter]?.firstIndex(of: status.alarm.code) {
                    reportedLate[inverter]?.remove(at: index)
                } else {
                    events.append(Self.alarm(.alarmRaised, status.alarm, inverter: inverter, at: time, late: false))
                }
            }
            if previous.global != status.global {
                events.append(BridgeEvent(dateTime: time, source: inverter, type: .stateChanged, details: [
                    ("from", .integer(Int64(previous.global.code))), ("from_text", .text(previous.global.description)),
                    ("to", .integer(Int64(status.global.code))), ("to_text", .text(status.global.description)),
                ]))
            }
            if previous.alarm != status.alarm, previous.alarm.code != 0 {
                events.append(Self.alarm(.alarmCleared, previous.alarm, inverter: inverter, at: time))
            }
            return events
        case .availability(let inverter, let availability):
            defer { lastAvailability[inverter] = availability }
            guard let previous = lastAvailability[inverter], previous != availability else { return [] }
            return [BridgeEvent(dateTime: time, source: inverter, type: .availabilityChanged, details: [
                ("from", .text(previous.rawValue)), ("to", .text(availability.rawValue)),
            ])]
        case .clockCorrected(let inverter, let by, let seconds):
            return [BridgeEvent(dateTime: time, source: inverter, type: .clockCorrected, details: [
                ("by", .text(by.rawValue)), ("seconds", .integer(Int64(seconds))),
            ])]
        default:
            return []
        }
    }

    /// The alarms of `inverter`'s last-alarms list `current` that are new since `previous` (the
    /// list as last stored, nil if never) and that no poll saw: raised with `reported_late`.
    public mutating func lateAlarms(inverter: String, previous: [UInt8]?, current: [UInt8], at time: Int64) -> [BridgeEvent] {
        let new = AlarmHistoryDiff.newCodes(previous: previous, current: current)
        let late = AlarmHistoryDiff.reportedLate(newCodes: new, polled: polled[inverter] ?? [])
        polled[inverter] = []
        reportedLate[inverter, default: []] += late
        return late.map { Self.alarm(.alarmRaised, Alarm(code: $0), inverter: inverter, at: time, late: true) }
    }

    private static func alarm(_ type: EventType, _ alarm: Alarm, inverter: String, at time: Int64, late: Bool? = nil) -> BridgeEvent {
        var details: [(key: String, value: BridgeEvent.Value)] = [("code", .integer(Int64(alarm.code))), ("text", .text(alarm.description))]
        if let late { details.append(("reported_late", .flag(late))) }
        return BridgeEvent(dateTime: time, source: inverter, type: type, details: details)
    }
}

import AuroraProtocol

extension InverterModel {
    /// The alarm the state reply shows at `unix`: of the ``alarms`` in force, the most recently
    /// raised (of those raised at the same instant, the later in the list); nil when none is.
    public func activeAlarm(at unix: Double) -> ScheduledAlarm? {
        alarms.enumerated().filter { $0.element.isActive(at: unix) }
            .max { ($0.element.raisedAt, $0.offset) < ($1.element.raisedAt, $1.offset) }?.element
    }

    /// The state reply (command 50) at `unix`: the active alarm's (``activeAlarm(at:)``), else
    /// the day phase's. Every reply's global-state byte is this status's global state.
    public func status(at unix: Double) -> InverterStatus {
        activeAlarm(at: unix)?.status ?? phase(at: unix).status
    }

    /// The last four alarms (command 86) at `unix`, oldest first.
    ///
    /// The FIFO holds ``ModelIdentity/lastAlarms`` before the first of the ``alarms``; each alarm
    /// shifts in at the end when it is raised, awake or not, pushing out the oldest (alarms raised
    /// at the same instant in list order). With ``clearsLastAlarmsOnRead`` and a read of command
    /// 86 at `readAt`, the FIFO was emptied by that read (four zeros, "No alarm") and only alarms
    /// raised after it have shifted in since.
    public func lastAlarms(at unix: Double, readAt: Double? = nil) -> [UInt8] {
        let emptiedAt = clearsLastAlarmsOnRead ? readAt : nil
        let raised = alarms.enumerated()
            .filter { $0.element.raisedAt <= unix && $0.element.raisedAt > (emptiedAt ?? -.infinity) }
            .sorted { ($0.element.raisedAt, $0.offset) < ($1.element.raisedAt, $1.offset) }
            .map(\.element.code)
        return Array(((emptiedAt == nil ? identity.lastAlarms : [0, 0, 0, 0]) + raised).suffix(4))
    }

    /// Adds alarm `code`, raised at `unix` and cleared `duration` seconds later (nil: when
    /// ``clearAlarms(at:)`` clears it, or never).
    public mutating func raiseAlarm(_ code: UInt8, at unix: Double, for duration: Double? = nil) {
        alarms.append(ScheduledAlarm(code: code, raisedAt: unix, duration: duration))
    }

    /// Clears every alarm in force at `unix` there and then; alarms raised later stay scheduled.
    public mutating func clearAlarms(at unix: Double) {
        for index in alarms.indices where alarms[index].isActive(at: unix) {
            alarms[index].duration = unix - alarms[index].raisedAt
        }
    }

    /// The stretches of time up to `unix` in which at least one alarm was in force, in order,
    /// overlapping and touching alarms merged.
    func alarmSpans(until unix: Double) -> [ClosedRange<Double>] {
        var spans: [ClosedRange<Double>] = []
        for alarm in alarms.sorted(by: { $0.raisedAt < $1.raisedAt }) where alarm.raisedAt < unix {
            let end = min(alarm.clearsAt ?? unix, unix)
            guard end > alarm.raisedAt else { continue }
            if let last = spans.last, alarm.raisedAt <= last.upperBound {
                spans[spans.count - 1] = last.lowerBound...max(last.upperBound, end)
            } else {
                spans.append(alarm.raisedAt...end)
            }
        }
        return spans
    }

    /// The energy the day's curve would have fed in from `start` (local) to `unix` while alarms
    /// were in force, in Wh.
    func energyLost(since start: LocalTime, until unix: Double) -> Double {
        alarmSpans(until: unix).reduce(0) { lost, span in
            let from = max(local(span.lowerBound), start)
            let to = local(span.upperBound)
            return to > from ? lost + energy(from: from, to: to) : lost
        }
    }

    /// The highest power fed in from local midnight to `now` (the local time of `unix`), in W:
    /// the day's curve outside the time alarms were in force.
    func dayPeakPower(until unix: Double, local now: LocalTime) -> Double {
        guard !alarms.isEmpty else { return day.peakPower(until: now.secondOfDay) }
        let midnight = LocalTime(midnightOf: now.day)
        var peak = 0.0
        var producingSince = 0.0
        for span in alarmSpans(until: unix) {
            let (start, end) = (local(span.lowerBound), local(span.upperBound))
            guard end > midnight else { continue }
            if start > midnight { peak = max(peak, peakPower(from: producingSince, to: start.secondOfDay)) }
            producingSince = end.secondOfDay
        }
        return max(peak, peakPower(from: producingSince, to: now.secondOfDay))
    }

    /// The highest power of the day's curve between two seconds of the day: where it comes
    /// closest to solar noon (0 for an empty stretch, such as one an alarm still holds).
    private func peakPower(from start: Double, to end: Double) -> Double {
        guard start < end else { return 0 }
        return day.power(at: min(max(day.solarNoon, start), end))
    }
}

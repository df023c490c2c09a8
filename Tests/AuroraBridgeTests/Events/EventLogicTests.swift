import AuroraBridge
import Testing

@Suite("Events: the last-alarms list")
struct AlarmHistoryDiffTests {
    @Test func theFirstReadOnlySetsTheBaseline() {
        #expect(AlarmHistoryDiff.newCodes(previous: nil, current: [3, 1, 3, 1]).isEmpty)
    }

    @Test func newAlarmsShiftInAtTheEnd() {
        #expect(AlarmHistoryDiff.newCodes(previous: [3, 1, 3, 1], current: [3, 1, 3, 1]).isEmpty, "nothing new")
        #expect(AlarmHistoryDiff.newCodes(previous: [3, 1, 3, 1], current: [1, 3, 1, 13]) == [13])
        #expect(AlarmHistoryDiff.newCodes(previous: [3, 1, 3, 1], current: [3, 1, 13, 32]) == [13, 32])
        #expect(AlarmHistoryDiff.newCodes(previous: [0, 0, 0, 0], current: [0, 0, 0, 18]) == [18])
    }

    @Test func repeatedCodesAssumeTheFewestNewOnes() {
        // One new 3, or three new (3, 1, 3): one is assumed.
        #expect(AlarmHistoryDiff.newCodes(previous: [3, 1, 3, 1], current: [1, 3, 1, 3]) == [3])
    }

    @Test func aListNoShiftExplainsIsNewAsAWhole() {
        #expect(AlarmHistoryDiff.newCodes(previous: [1, 2, 3, 4], current: [5, 6, 7, 8]) == [5, 6, 7, 8])
        // A model that clears the list when it is read: empty slots are no alarms.
        #expect(AlarmHistoryDiff.newCodes(previous: [0, 0, 0, 13], current: [0, 0, 0, 0]).isEmpty)
        #expect(AlarmHistoryDiff.newCodes(previous: [0, 0, 0, 0], current: [0, 0, 0, 0]).isEmpty)
    }

    @Test func alarmsThePollSawAreNotLate() {
        #expect(AlarmHistoryDiff.reportedLate(newCodes: [13, 32], polled: [13]) == [32])
        #expect(AlarmHistoryDiff.reportedLate(newCodes: [13, 13], polled: [13]) == [13], "each poll accounts for one")
        #expect(AlarmHistoryDiff.reportedLate(newCodes: [18], polled: []) == [18])
    }
}

@Suite("Events: folding repeats")
struct EventThrottleTests {
    func alarm(_ type: EventType, at time: Int64, code: Int64 = 13) -> BridgeEvent {
        BridgeEvent(dateTime: time, source: "roof", type: type, details: [("code", .integer(code)), ("text", .text("Grid fail"))])
    }

    @Test func aConditionFlappingAHundredTimesInAMinuteMakesAHandfulOfEventsWithTheCount() {
        var throttle = EventThrottle(window: 60)
        var recorded: [BridgeEvent] = []
        for index in 0..<100 {
            recorded += throttle.admit(alarm(.alarmRaised, at: 1000 + Int64(index) * 6 / 10))
            recorded += throttle.admit(alarm(.alarmCleared, at: 1000 + Int64(index) * 6 / 10))
        }
        recorded += throttle.flush(at: 1000 + 61)
        #expect(recorded.count == 4, "\(recorded.map(\.type))")
        let summaries = recorded.filter { $0["repeats"] != nil }
        #expect(summaries.map { $0["repeats"] } == [.integer(99), .integer(99)])
        #expect(summaries.allSatisfy { $0["since"] == .integer(1000) })
    }

    @Test func differentCodesAndSourcesAreNotFolded() {
        var throttle = EventThrottle(window: 60)
        #expect(throttle.admit(alarm(.alarmRaised, at: 10, code: 13)).count == 1)
        #expect(throttle.admit(alarm(.alarmRaised, at: 11, code: 32)).count == 1)
        var other = alarm(.alarmRaised, at: 12)
        other.source = "garage"
        #expect(throttle.admit(other).count == 1)
        #expect(throttle.admit(alarm(.alarmRaised, at: 13, code: 13)).isEmpty, "folded")
    }

    @Test func theNextEventAfterTheWindowBringsTheSummaryFirst() {
        var throttle = EventThrottle(window: 60)
        _ = throttle.admit(alarm(.alarmRaised, at: 0))
        _ = throttle.admit(alarm(.alarmRaised, at: 30))
        let later = throttle.admit(alarm(.alarmRaised, at: 100))
        #expect(later.map { $0["repeats"] } == [.integer(1), nil])
        #expect(later.map(\.dateTime) == [30, 100])
        #expect(throttle.flush(at: 1000).isEmpty, "nothing folded since")
    }

    @Test func theJSONCarriesTheEventTypeFirst() {
        #expect(alarm(.alarmRaised, at: 5).json.description
            == #"{"event_type":"alarm_raised","dateTime":5,"source":"roof","code":13,"text":"Grid fail"}"#)
    }
}

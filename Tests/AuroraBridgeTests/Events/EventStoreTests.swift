import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

@Suite("Events: the log in the archive database")
struct EventStoreTests {
    func event(_ type: EventType, at time: Int64, source: String = "roof", code: Int64 = 13) -> BridgeEvent {
        BridgeEvent(dateTime: time, source: source, type: type, details: [("code", .integer(code))])
    }

    @Test func eventsAreKeptInOrderUntilDeliveredAndListedNewestLast() async throws {
        let directory = try TemporaryDirectory("events")
        let store = try ArchiveStore(path: directory.file("archive.sqlite"))
        let first = try await store.insert(event(.alarmRaised, at: 100))
        let second = try await store.insert(event(.stateChanged, at: 100))
        let third = try await store.insert(event(.started, at: 90, source: "bridge"))
        #expect(first < second && second < third, "the log keeps the order they were recorded in")
        #expect(try await store.undeliveredEvents(after: nil, limit: 10).map(\.id) == [first, second, third])
        #expect(try await store.undeliveredEvents(after: first, limit: 1).map(\.id) == [second])
        try await store.markEventDelivered(id: second)
        #expect(try await store.undeliveredEvents(after: nil, limit: 10).map(\.id) == [first, third])
        #expect(try await store.undeliveredEventCount() == 2)

        let stored = try await store.events()
        #expect(stored.map(\.id) == [first, second, third])
        #expect(stored.first?.payload == #"{"event_type":"alarm_raised","dateTime":100,"source":"roof","code":13}"#)
        #expect(try await store.events(source: "bridge").map(\.type) == ["started"])
        #expect(try await store.events(type: "state_changed").map(\.id) == [second])
        #expect(try await store.events(since: 95).map(\.id) == [first, second])
        #expect(try await store.events(limit: 2).map(\.id) == [second, third], "the newest two, newest last")

        #expect(try await store.pruneEvents(deliveredBefore: 200) == 1, "only delivered ones go")
        #expect(try await store.events().map(\.id) == [first, third])
    }

    @Test func theLastAlarmsSurviveReopening() async throws {
        let directory = try TemporaryDirectory("last-alarms")
        let path = directory.file("archive.sqlite")
        do {
            let store = try ArchiveStore(path: path)
            #expect(try await store.lastAlarms(serialNumber: "240002") == nil)
            try await store.saveLastAlarms([3, 1, 3, 13], serialNumber: "240002")
        }
        let reopened = try ArchiveStore(path: path)
        #expect(try await reopened.lastAlarms(serialNumber: "240002") == [3, 1, 3, 13])
        #expect(try await reopened.lastAlarms(serialNumber: "240003") == nil)
    }
}

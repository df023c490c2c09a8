import AuroraBridge
import AuroraTestSupport
import Foundation
import Mosquitto
import Testing

/// Events through the archive's delivery window: in order, once, marked delivered on the
/// broker's acknowledgement.
@Suite struct EventDeliveryTests {
    func event(_ type: EventType, at time: Int64, source: String = "inverter") -> BridgeEvent {
        BridgeEvent(dateTime: time, source: source, type: type, details: [("code", .integer(13))])
    }

    @Test func eventsStoredWhileDisconnectedGoOutInOrderOnConnectAndAreMarkedOnAcknowledgement() async throws {
        try await withTemporaryDirectory { folder in
            let store = try ArchiveStore(path: folder + "/archive.sqlite")
            let output = InMemoryOutput(connected: false)
            let outbox = ArchiveOutbox(output: output, retryInterval: .seconds(3_600))
            let running = Task { await outbox.run() }
            defer { running.cancel() }
            await outbox.attach(store: store, publisher: try DeliveryFixture.publisher(output))
            for (index, type) in [EventType.brokerLost, .alarmRaised, .stateChanged].enumerated() {
                try await store.insert(event(type, at: Int64(100 + index), source: type == .brokerLost ? "bridge" : "inverter"))
            }
            await outbox.eventsStored()
            #expect(output.messages.isEmpty, "nothing goes out while disconnected")
            output.connect()
            try await Deadline.until("three events published", timeout: .seconds(20)) { output.messages.count == 3 }
            let messages = output.messages
            #expect(messages.map(\.topic) == ["aurora/bridge/event", "aurora/inverter/event", "aurora/inverter/event"])
            #expect(messages.map { $0.text.contains(#""event_type":"broker_lost""#) } == [true, false, false])
            #expect(messages.allSatisfy { $0.qos == .atLeastOnce && !$0.retain })
            output.acknowledge(messages[0].id)
            output.acknowledge(messages[1].id)
            try await Deadline.until("two marked delivered", timeout: .seconds(20)) { try await store.undeliveredEventCount() == 1 }
            // After a reconnect the one in flight stays in flight (libmosquitto sends it again
            // itself) and is not handed over a second time.
            output.drop()
            output.connect()
            await outbox.eventsStored()
            #expect(output.messages.count == 3)
            output.acknowledge(messages[2].id)
            try await Deadline.until("all delivered", timeout: .seconds(20)) { try await store.undeliveredEventCount() == 0 }
            try await store.insert(event(.alarmCleared, at: 110))
            await outbox.eventsStored()
            try await Deadline.until("a new event published", timeout: .seconds(20)) { output.messages.count == 4 }
            #expect(output.messages.last?.text.contains("alarm_cleared") == true, "none twice, the new one once")
        }
    }
}

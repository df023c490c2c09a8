import AuroraTestSupport
import Mosquitto
import ServiceLifecycleTestKit
import Testing

@testable import AuroraBridge

/// The MQTT events service against an in-memory connection.
@Suite struct MQTTEventServiceTests {
    private func service(_ fixture: ServiceFixture, reloading: Bool = false) -> MQTTEventService {
        MQTTEventService(
            client: fixture.output, events: fixture.output.events(bufferingPolicy: .unbounded), publisher: fixture.publisher,
            counters: fixture.counters, progress: fixture.progress(), reloading: Locked(reloading), logger: fixture.logger)
    }

    @Test func everyConnectAnnouncesOnlineAndCountsTheReconnects() async throws {
        let fixture = try ServiceFixture(output: InMemoryOutput(connected: false, acknowledging: true))
        try await withRunning(service(fixture)) {
            fixture.output.connect()
            try await Deadline.until("the connect", timeout: .seconds(60)) { fixture.counters.value.connects == 1 }
            fixture.output.drop()
            fixture.output.connect()
            try await Deadline.until("the reconnect", timeout: .seconds(60)) { fixture.counters.value.connects == 2 }
            #expect(fixture.counters.value.reconnects == 1)
        }
        // (The service may find the first connection up before it sees the event: then it
        // announces that one twice, as after a reload.)
        let state = fixture.messages(on: "aurora/bridge/state")
        #expect(state.count >= 3)
        #expect(state.map(\.text) == Array(repeating: "online", count: state.count - 1) + ["offline"])
        #expect(state.allSatisfy { $0.retain && $0.qos == .atLeastOnce })
    }

    @Test func aConnectionCarriedOverFromBeforeAReloadIsAnnouncedWithoutAConnectEvent() async throws {
        let fixture = try ServiceFixture(output: InMemoryOutput(connected: true, acknowledging: true))
        try await withRunning(service(fixture)) {
            try await Deadline.until("online", timeout: .seconds(60)) { fixture.messages(on: "aurora/bridge/state").count == 1 }
        }
        #expect(fixture.counters.value.connects == 0, "no connect happened")
    }

    @Test func aShutdownAnnouncesOfflineAndDisconnects() async throws {
        let fixture = try ServiceFixture(output: InMemoryOutput(connected: true, acknowledging: true))
        try await withRunning(service(fixture)) {
            try await Deadline.until("online", timeout: .seconds(60)) { !fixture.messages(on: "aurora/bridge/state").isEmpty }
        }
        #expect(fixture.messages(on: "aurora/bridge/state").last?.text == "offline")
        #expect(fixture.output.isDisconnected)
    }

    @Test func aReloadStaysConnectedWithoutOfflineAndDropsTheHomeAssistantSubscription() async throws {
        let fixture = try ServiceFixture(output: InMemoryOutput(connected: true, acknowledging: true))
        let topic = try #require(fixture.publisher.discoveryStatusTopic)
        try fixture.output.subscribe(topic, qos: .atLeastOnce)
        try await withRunning(service(fixture, reloading: true)) {
            try await Deadline.until("online", timeout: .seconds(60)) { !fixture.messages(on: "aurora/bridge/state").isEmpty }
        }
        #expect(fixture.messages(on: "aurora/bridge/state").map(\.text) == ["online"])
        #expect(!fixture.output.isDisconnected)
        #expect(fixture.output.isConnected)
        #expect(!fixture.output.subscriptions.contains(topic))
    }

    @Test func homeAssistantComingOnlineGetsTheDiscoveryAgain() async throws {
        let fixture = try ServiceFixture(output: InMemoryOutput(connected: true, acknowledging: true))
        let topic = try #require(fixture.publisher.discoveryStatusTopic)
        try await withRunning(service(fixture)) {
            try await Deadline.until("online", timeout: .seconds(60)) { !fixture.messages(on: "aurora/bridge/state").isEmpty }
            let before = fixture.output.messages.count
            fixture.output.receive(MosquittoMessage(topic: topic, payload: Array("online".utf8)))
            try await Deadline.until("the discovery again", timeout: .seconds(60)) { fixture.output.messages.count > before }
        }
    }

    @Test func aProtocolErrorAtQoS2StopsTheBridgeAsAConfigurationProblem() async throws {
        let fixture = try ServiceFixture("[mqtt]\nqos = 2\n", output: InMemoryOutput(connected: true))
        let service = service(fixture)
        fixture.output.drop(with: MosquittoError(code: .protocolError, operation: "a test"))
        await #expect(throws: QoS2NotSupported.self) {
            try await testGracefulShutdown { _ in try await service.run() }
        }
    }
}

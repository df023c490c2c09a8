import AuroraBridge
import AuroraProtocol
import Mosquitto
import Testing

/// ``Publisher`` against an in-memory output: what goes out, when, with which QoS and retain flag.
@Suite struct PublisherTests {
    private let packet = LoopPacket(
        inverter: "inverter", dateTime: 1_750_000_000,
        fields: [LoopField(name: "gridPower", value: .float(2301.5)), LoopField(name: "dayEnergy", value: .integer(8636))])

    @Test func livePacketsAreDroppedWhileDisconnectedAndSentAsFieldTopicsThenJSONWhileConnected() async throws {
        let output = InMemoryOutput(connected: false)
        let publisher = try DeliveryFixture.publisher(output)
        await publisher.publish(packet)
        #expect(output.messages.isEmpty, "stale readings are worth nothing after an outage")
        output.connect()
        await publisher.publish(packet)
        #expect(output.messages.map(\.topic) == ["aurora/inverter/loop/gridPower", "aurora/inverter/loop/dayEnergy", "aurora/inverter/loop"])
        #expect(output.messages.map(\.text).prefix(2) == ["2301.5", "8636"])
        #expect(output.messages.last?.text == #"{"dateTime":1750000000,"gridPower":2301.5,"dayEnergy":8636}"#)
    }

    @Test func statusIsRememberedWhileDisconnectedAndSentAgainOnEveryConnect() async throws {
        let output = InMemoryOutput(connected: false)
        let publisher = try DeliveryFixture.publisher(output)
        await publisher.publish(Availability.online, for: "inverter")
        #expect(output.messages.isEmpty)
        output.connect()
        await publisher.connected()
        await publisher.connected()
        let availability = output.messages.filter { $0.topic == "aurora/inverter/availability" }
        #expect(availability.count == 2 && availability.allSatisfy { $0.text == "online" && $0.retain })
        let state = output.messages.filter { $0.topic == "aurora/bridge/state" }
        #expect(state.count == 2 && state.allSatisfy { $0.text == "online" && $0.retain && $0.qos == .atLeastOnce })
    }

    @Test func archiveMessagesAreAtLeastQoS1AndEndWithTheSummary() throws {
        let output = InMemoryOutput()
        let publisher = Publisher(client: output, configuration: try parse(minimalConfig + "\n[mqtt]\nqos = 0\n"))
        #expect(publisher.archiveDelivery.qos == .atLeastOnce)
        let record = try #require(try DeliveryFixture.records(1, fields: 2).first)
        let messages = publisher.archiveMessages(record)
        #expect(messages.map(\.topic) == ["aurora/inverter/archive/field0", "aurora/inverter/archive/field1", "aurora/inverter/archive"])
    }

    @Test func goingOfflineReturnsTheIdToWaitFor() async throws {
        let output = InMemoryOutput(connected: true, firstID: 41)
        let publisher = try DeliveryFixture.publisher(output)
        #expect(await publisher.goingOffline() == MessageID(rawValue: 41))
        #expect(output.messages.first?.text == "offline")
    }
}

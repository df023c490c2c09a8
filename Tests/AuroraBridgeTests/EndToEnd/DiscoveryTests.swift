import AuroraBridge
import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

/// Home Assistant discovery with the bridge in this process, a real mosquitto and the simulator:
/// what Home Assistant would see.
@Suite struct DiscoveryTests {
    /// The config topics of the inverter `roof` with the default field set.
    static let configTopics = Set(
        (BridgeConfiguration.Fields.known.filter { $0 != "energy" } + ["state", "alarm", "availability"])
            .map { "homeassistant/sensor/aurora_roof/\($0)/config" })

    @Test func configsArriveRetainedAndPointAtTopicsThatCarryTheValues() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("discovery")
        try await SimulatedBus.withPseudoTerminal { bus in
            let configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let values = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            let home = try await TestSubscriber.connect(to: broker, filter: "homeassistant/#")
            try await withBridge(try parse(configuration)) {
                // Once the identity is known the device carries the serial number; the availability
                // sensor's config comes last, so every other config has reached the broker.
                try await home.waitForMessage(topic: "homeassistant/sensor/aurora_roof/availability/config", timeout: .seconds(10)) {
                    $0.text.contains(#""serial_number":"240002""#)
                }
                // A late subscriber (Home Assistant starting) gets every config from the retained store.
                let late = try await TestSubscriber.connect(to: broker, filter: "homeassistant/#")
                let configs = try await late.waitUntil(count: Self.configTopics.count)
                #expect(Set(configs.map(\.topic)) == Self.configTopics)
                #expect(configs.allSatisfy { $0.retain })
                for config in configs {
                    let json = try #require(try JSONSerialization.jsonObject(with: Data(config.payload)) as? [String: Any])
                    let stateTopic = try #require(json["state_topic"] as? String)
                    let value = try await values.waitForMessage(topic: stateTopic)
                    #expect(!value.text.isEmpty, "\(config.topic)")
                    let device = try #require(json["device"] as? [String: Any])
                    #expect(device["identifiers"] as? [String] == ["aurora_roof", "aurora-serial:240002"], "\(config.topic)")
                    #expect(device["model"] as? String == "PVI-3.6-OUTD" && device["sw_version"] as? String == "C.0.1.6")
                }
                let snapshot = try #require(bus.snapshot())
                #expect(try await values.waitForMessage(topic: "aurora/roof/loop/gridPower").text == snapshot.measures[.gridPower]!.description)
                #expect(try await values.waitForMessage(topic: "aurora/roof/loop/totalEnergy").text == snapshot.energy[.total]!.description)
                #expect(try await values.waitForMessage(topic: "aurora/roof/availability").text == "online")
            }
        }
    }

    @Test func homeAssistantComingOnlineGetsTheConfigsAgain() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("birth")
        try await SimulatedBus.withPseudoTerminal { bus in
            let configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let home = try await TestSubscriber.connect(to: broker, filter: "homeassistant/sensor/#")
            try await withBridge(try parse(configuration)) {
                // The identity is known (and the availability config is the last of a batch): nothing
                // but Home Assistant's announcement sends the configs again.
                try await home.waitForMessage(topic: "homeassistant/sensor/aurora_roof/availability/config", timeout: .seconds(10)) {
                    $0.text.contains("aurora-serial:240002")
                }
                home.clear()
                try home.client.publish(topic: "homeassistant/status", text: "online", qos: .atLeastOnce)
                let again = try await home.waitUntil(count: Self.configTopics.count)
                #expect(Set(again.map(\.topic)) == Self.configTopics)
                #expect(again.allSatisfy { !$0.retain }, "sent live, to a subscriber that is already there")
            }
        }
    }

    @Test func discoveryOffPublishesNothingUnderTheDiscoveryPrefix() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("off")
        try await SimulatedBus.withPseudoTerminal { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.extra = "[homeassistant]\ndiscovery = false\n"
            let everything = try await TestSubscriber.connect(to: broker, filter: "#")
            try await withBridge(try parse(configuration)) {
                // With discovery on, the configs follow `online` within the same publisher call,
                // so they would arrive before any loop packet published after it.
                try await everything.waitForMessage(topic: "aurora/bridge/state", timeout: .seconds(10)) { $0.text == "online" }
                let online = everything.messages.firstIndex { $0.topic == "aurora/bridge/state" }!
                try await Deadline.until("a loop packet after online") {
                    everything.messages.dropFirst(online + 1).contains { $0.topic == "aurora/roof/loop" }
                }
                // Home Assistant's announcement goes unheard: the next polls bring no configs either.
                try everything.client.publish(topic: "homeassistant/status", text: "online", qos: .atLeastOnce)
                try await everything.waitForMessage(topic: "homeassistant/status")
                let loops = everything.messages(on: "aurora/roof/loop").count
                try await Deadline.until("two more loop packets") { everything.messages(on: "aurora/roof/loop").count >= loops + 2 }
                let underPrefix = everything.messages.map(\.topic).filter { $0.hasPrefix("homeassistant/") }
                #expect(underPrefix == ["homeassistant/status"])
            }
        }
    }
}

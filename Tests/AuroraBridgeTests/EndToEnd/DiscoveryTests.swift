import AuroraBridge
import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

/// Home Assistant discovery with the bridge in this process, a real mosquitto and the simulator:
/// what Home Assistant would see.
@Suite struct DiscoveryTests {
    /// The device config of the inverter `roof`.
    static let deviceTopic = "homeassistant/device/aurora_roof/config"
    /// The device config of the bridge itself.
    static let bridgeDeviceTopic = "homeassistant/device/aurora_bridge/config"
    /// Its components with the default field set.
    static let componentKeys = Set(BridgeConfiguration.Fields.known.filter { $0 != "energy" } + ["state", "alarm", "availability", "event"])

    @Test func theDeviceConfigArrivesRetainedAndPointsAtTopicsThatCarryTheValues() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("discovery")
        try await SimulatedBus.withPseudoTerminal { bus in
            let configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let values = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            let home = try await TestSubscriber.connect(to: broker, filter: "homeassistant/#")
            try await withBridge(try parse(configuration)) {
                // Once the identity is known the device carries the serial number.
                try await home.waitForMessage(topic: Self.deviceTopic, timeout: .seconds(10)) {
                    $0.text.contains(#""serial_number":"240002""#)
                }
                // A late subscriber (Home Assistant starting) gets the inverter's and the bridge's
                // configs from the retained store, and nothing else under the prefix (a fresh
                // install migrates nothing).
                let late = try await TestSubscriber.connect(to: broker, filter: "homeassistant/#")
                let config = try await late.waitForMessage(topic: Self.deviceTopic) { $0.text.contains("240002") }
                #expect(config.retain)
                try late.client.publish(topic: "homeassistant/marker", text: "end", qos: .atLeastOnce)
                try await late.waitForMessage(topic: "homeassistant/marker")
                #expect(Set(late.messages.map(\.topic)) == [Self.deviceTopic, Self.bridgeDeviceTopic, "homeassistant/marker"])
                let json = try #require(try JSONSerialization.jsonObject(with: Data(config.payload)) as? [String: Any])
                let device = try #require(json["dev"] as? [String: Any])
                #expect(device["identifiers"] as? [String] == ["aurora_roof", "aurora-serial:240002"])
                #expect(device["model"] as? String == "PVI-3.6-OUTD" && device["sw_version"] as? String == "C.0.1.6")
                let components = try #require(json["cmps"] as? [String: [String: Any]])
                #expect(Set(components.keys) == Self.componentKeys)
                // Every sensor's state topic carries a value (the event topic only events).
                for (key, component) in components where key != "event" {
                    let stateTopic = try #require(component["state_topic"] as? String)
                    let value = try await values.waitForMessage(topic: stateTopic)
                    #expect(!value.text.isEmpty, "\(key)")
                }
                let snapshot = try #require(bus.snapshot())
                #expect(try await values.waitForMessage(topic: "aurora/roof/loop/gridPower").text == snapshot.measures[.gridPower]!.description)
                #expect(try await values.waitForMessage(topic: "aurora/roof/loop/totalEnergy").text == snapshot.energy[.total]!.description)
                #expect(try await values.waitForMessage(topic: "aurora/roof/availability").text == "online")
            }
        }
    }

    @Test func homeAssistantComingOnlineGetsTheConfigAgain() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("birth")
        try await SimulatedBus.withPseudoTerminal { bus in
            let configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let home = try await TestSubscriber.connect(to: broker, filter: "homeassistant/device/#")
            try await withBridge(try parse(configuration)) {
                // The identity is known: nothing but Home Assistant's announcement sends the config again.
                try await home.waitForMessage(topic: Self.deviceTopic, timeout: .seconds(10)) { $0.text.contains("aurora-serial:240002") }
                home.clear()
                try home.client.publish(topic: "homeassistant/status", text: "online", qos: .atLeastOnce)
                let again = try await home.waitUntil(count: 2)
                #expect(again.map(\.topic) == [Self.deviceTopic, Self.bridgeDeviceTopic])
                #expect(again.allSatisfy { !$0.retain }, "sent live, to a subscriber that is already there")
            }
        }
    }

    /// The retained topics on the broker now: everything a new subscriber to `#` gets before a
    /// marker it publishes itself.
    static func retainedTopics(_ broker: TestBroker) async throws -> Set<String> {
        let late = try await TestSubscriber.connect(to: broker, filter: "#")
        try late.client.publish(topic: "test/marker", text: "end", qos: .atLeastOnce)
        try await late.waitForMessage(topic: "test/marker")
        let topics = late.messages.prefix { $0.topic != "test/marker" }.filter { $0.retain && !$0.payload.isEmpty }.map(\.topic)
        await late.close()
        return Set(topics)
    }

    @Test func aRenamedInverterLeavesNoRetainedConfigOrStatusBehind() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("rename")
        try await SimulatedBus.withPseudoTerminal { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let watcher = try await TestSubscriber.connect(to: broker, filter: "#")
            try await withBridge(try parse(configuration)) {
                try await watcher.waitForMessage(topic: Self.deviceTopic, timeout: .seconds(10)) { $0.text.contains("240002") }
                try await watcher.waitForMessage(topic: "aurora/roof/state", timeout: .seconds(10))
            }
            #expect(try await Self.retainedTopics(broker).contains { $0.contains("roof") }, "the first run left its topics")
            configuration.inverters = [.init(name: "garage", address: 2)]
            watcher.clear()
            try await withBridge(try parse(configuration)) {
                try await watcher.waitForMessage(topic: "homeassistant/device/aurora_garage/config", timeout: .seconds(10)) {
                    $0.text.contains("240002")
                }
                // The empty configs and status go out once connected; the last of them in topic order.
                for topic in [Self.deviceTopic, "aurora/roof/availability", "aurora/roof/state", "aurora/roof/info"] {
                    try await watcher.waitForMessage(topic: topic, timeout: .seconds(10)) { $0.payload.isEmpty }
                }
                try await Deadline.until("the broker keeps nothing of roof", timeout: .seconds(10), interval: .milliseconds(250)) {
                    !(try await Self.retainedTopics(broker).contains { $0.contains("roof") })
                }
                let retained = try await Self.retainedTopics(broker)
                #expect(retained.contains("homeassistant/device/aurora_garage/config"))
                #expect(retained.contains("aurora/garage/availability"))
            }
        }
    }

    @Test func discoveryRemoveClearsEverythingTheBridgeAnnouncedAndForgetsIt() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("remove")
        try await SimulatedBus.withPseudoTerminal { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.extra = "[homeassistant]\ndiscovery = \"entity\"\n"
            let watcher = try await TestSubscriber.connect(to: broker, filter: "#")
            try await withBridge(try parse(configuration)) {
                try await watcher.waitForMessage(topic: "homeassistant/sensor/aurora_roof/availability/config", timeout: .seconds(10)) {
                    $0.text.contains("240002")
                }
                try await watcher.waitForMessage(topic: "aurora/roof/state", timeout: .seconds(10))
            }
            let parsed = try parse(configuration)
            let store = try ArchiveStore(path: parsed.archive.database)
            let outcome = try await DiscoveryRemoval(configuration: parsed).run(store: store)
            #expect(outcome.sent == outcome.acknowledged && outcome.sent > Self.componentKeys.count)
            let left = try await Self.retainedTopics(broker)
            #expect(left.isEmpty, "\(left)")
            #expect(try await store.announcements().isEmpty)
        }
        await #expect(throws: DiscoveryRemoval.Failure.self) {
            let unreachable = TestBridgeConfiguration(brokerPort: Int(FreePort.loopback()), busPort: "/dev/null", database: directory.file("other.sqlite"))
            let parsed = try parse(unreachable)
            try await DiscoveryRemoval(configuration: parsed, timeout: .seconds(2)).run(store: try ArchiveStore(path: parsed.archive.database))
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

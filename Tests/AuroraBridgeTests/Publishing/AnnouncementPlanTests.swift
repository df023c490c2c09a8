import Mosquitto
import Testing

@testable import AuroraBridge

/// What the bridge clears and migrates when the configuration changes: exactly the expected
/// `{"migrate_discovery": true}` marks and empty configs, no more.
@Suite struct AnnouncementPlanTests {
    static func discovery(_ extra: String = "", name: String = "roof") throws -> HomeAssistantDiscovery {
        HomeAssistantDiscovery(configuration: try parse("[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"\(name)\"\naddress = 2\n" + extra))
    }

    static func plan(from old: HomeAssistantDiscovery, to new: HomeAssistantDiscovery) -> AnnouncementPlan {
        AnnouncementPlan(previous: old.announcements(), current: new.announcements(), currentKeys: new.announcedKeys())
    }

    static let sensorKeys = BridgeConfiguration.Fields.known.filter { $0 != "energy" } + ["state", "alarm", "availability"]

    @Test func anUnchangedConfigurationClearsNothing() throws {
        #expect(Self.plan(from: try Self.discovery(), to: try Self.discovery()).isEmpty)
    }

    @Test func entityToDeviceMarksEveryEntityConfigThenClearsIt() throws {
        let plan = Self.plan(from: try Self.discovery("[homeassistant]\ndiscovery = \"entity\"\n"), to: try Self.discovery())
        // The inverter's sensors and event entity, and the bridge's event entity.
        let entityTopics = (Self.sensorKeys.map { "homeassistant/sensor/aurora_roof/\($0)/config" }
            + ["homeassistant/event/aurora_roof/event/config", "homeassistant/event/aurora_bridge/event/config"]).sorted()
        #expect(plan.migrations == entityTopics)
        #expect(plan.clears == entityTopics)
    }

    @Test func deviceToEntityMarksTheDeviceConfigThenClearsIt() throws {
        let plan = Self.plan(from: try Self.discovery(), to: try Self.discovery("[homeassistant]\ndiscovery = \"entity\"\n"))
        // The inverter's device and the bridge's.
        #expect(plan.migrations == ["homeassistant/device/aurora_bridge/config", "homeassistant/device/aurora_roof/config"])
        #expect(plan.clears == ["homeassistant/device/aurora_bridge/config", "homeassistant/device/aurora_roof/config"])
    }

    @Test func theUpgradeFromAnUnrecordedBridgeMigratesOnlyTheSensorsStillAnnounced() throws {
        let new = try Self.discovery("[fields]\nexclude = [\"leakCurrent\"]\n")
        let plan = AnnouncementPlan(previous: new.assumedEarlierAnnouncements(), current: new.announcements(), currentKeys: new.announcedKeys())
        let kept = Self.sensorKeys.filter { $0 != "leakCurrent" }.map { "homeassistant/sensor/aurora_roof/\($0)/config" }.sorted()
        #expect(plan.migrations == kept, "the excluded field's entity is removed, not migrated")
        #expect(plan.clears == (kept + ["homeassistant/sensor/aurora_roof/leakCurrent/config"]).sorted())
    }

    @Test func aRenamedInverterLeavesNeitherConfigNorStatusBehind() throws {
        let plan = Self.plan(from: try Self.discovery(name: "roof"), to: try Self.discovery(name: "garage"))
        #expect(plan.migrations.isEmpty, "another node: its entities go")
        let fields = BridgeConfiguration.Fields.known
        let status = ["availability", "loop", "archive", "state", "info"].map { "aurora/roof/\($0)" }
            + fields.map { "aurora/roof/loop/\($0)" } + fields.map { "aurora/roof/archive/\($0)" }
        // The discovery config first: Home Assistant drops the entities before their topics empty.
        #expect(plan.clears == ["homeassistant/device/aurora_roof/config"] + status.sorted())
    }

    @Test func anExcludedFieldInEntityModeClearsItsConfigAndTopics() throws {
        let plan = Self.plan(
            from: try Self.discovery("[homeassistant]\ndiscovery = \"entity\"\n"),
            to: try Self.discovery("[fields]\nexclude = [\"leakCurrent\"]\n[homeassistant]\ndiscovery = \"entity\"\n"))
        #expect(plan.migrations.isEmpty)
        #expect(plan.clears == [
            "homeassistant/sensor/aurora_roof/leakCurrent/config", "aurora/roof/archive/leakCurrent", "aurora/roof/loop/leakCurrent",
        ])
    }

    @Test func aChangedPrefixClearsEverythingUnderTheOldOne() throws {
        let old = try Self.discovery()
        let plan = Self.plan(from: old, to: try Self.discovery("[topics]\nprefix = \"solar\"\n[homeassistant]\ndiscovery_prefix = \"ha\"\n"))
        #expect(plan.migrations.isEmpty)
        let announced = old.announcements()
        #expect(plan.clears == announced.filter(\.isDiscovery).map(\.topic).sorted() + announced.filter { !$0.isDiscovery }.map(\.topic).sorted())
    }

    @Test func discoveryOffClearsTheConfigsAndKeepsTheStatus() throws {
        let plan = Self.plan(from: try Self.discovery(), to: try Self.discovery("[homeassistant]\ndiscovery = false\n"))
        #expect(plan.migrations.isEmpty)
        #expect(plan.clears == ["homeassistant/device/aurora_bridge/config", "homeassistant/device/aurora_roof/config"])
    }

    @Test func thePublisherSendsMarksThenConfigsThenClearsAndReportsThemOnceAcknowledged() async throws {
        let old = try Self.discovery("[homeassistant]\ndiscovery = \"entity\"\n")
        let new = try Self.discovery()
        let plan = Self.plan(from: old, to: new)
        let output = InMemoryOutput(connected: true)
        let publisher = Publisher(client: output, configuration: new.configuration, cleanup: plan)
        #expect(await publisher.cleanupAcknowledged(nil) == nil, "nothing went out yet")
        await publisher.connected()
        let discovery = output.messages.filter { $0.topic.hasPrefix("homeassistant/") }
        let marks = discovery.prefix(plan.migrations.count)
        #expect(marks.map(\.topic) == plan.migrations && marks.allSatisfy { $0.text == #"{"migrate_discovery": true}"# && $0.retain })
        // The inverter's device config, then the bridge's.
        #expect(discovery.dropFirst(plan.migrations.count).prefix(2).map(\.topic)
            == ["homeassistant/device/aurora_roof/config", "homeassistant/device/aurora_bridge/config"])
        let clears = Array(discovery.dropFirst(plan.migrations.count + 2))
        #expect(clears.map(\.topic) == plan.clears)
        #expect(clears.allSatisfy { $0.text.isEmpty && $0.retain && $0.qos == .atLeastOnce })
        let online = try #require(output.messages.first { $0.topic == "aurora/bridge/state" })
        #expect(await publisher.cleanupAcknowledged(online.id) == nil, "another message's acknowledgement")
        for clear in clears.dropFirst() {
            #expect(await publisher.cleanupAcknowledged(clear.id) == nil, "one not acknowledged")
        }
        #expect(await publisher.cleanupAcknowledged(clears[0].id) == plan.clears)
        let before = output.messages.count
        await publisher.connected()
        #expect(!output.messages.dropFirst(before).contains { $0.text.isEmpty || $0.text.contains("migrate") }, "the cleanup goes out once")
    }
}

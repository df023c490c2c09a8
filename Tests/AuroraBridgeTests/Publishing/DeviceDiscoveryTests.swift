import AuroraProtocol
import Foundation
import Testing

@testable import AuroraBridge
@testable import AuroraLink

/// Device-based discovery (the default), the entity details, and every payload against
/// ``HomeAssistantSchema``.
@Suite struct DeviceDiscoveryTests {
    static func configuration(_ homeAssistant: String = "", extra: String = "") throws -> BridgeConfiguration {
        try HomeAssistantDiscoveryTests.configuration(extra + "[homeassistant]\n" + homeAssistant)
    }

    static func json(_ payload: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
    }

    static func components(_ configuration: BridgeConfiguration, identity: InverterIdentity? = nil) throws -> [String: [String: Any]] {
        let messages = HomeAssistantDiscoveryTests.messages(configuration, identity: identity)
        let message = try #require(messages.first)
        return try #require(try json(message.payload)["cmps"] as? [String: [String: Any]])
    }

    @Test func oneRetainedDeviceConfigPerInverterWithDeviceOriginAndComponents() throws {
        let configuration = try Self.configuration()
        let messages = HomeAssistantDiscoveryTests.messages(configuration, identity: HomeAssistantDiscoveryTests.identity)
        #expect(messages.map(\.topic) == ["homeassistant/device/aurora_roof/config"])
        let json = try Self.json(messages[0].payload)
        #expect(Set(json.keys) == ["dev", "o", "cmps"])
        let origin = try #require(json["o"] as? [String: String])
        #expect(origin == ["name": "aurora-bridge", "sw": BridgeVersion.current, "url": HomeAssistantDiscovery.projectURL])
        let device = try #require(json["dev"] as? [String: Any])
        #expect(device["identifiers"] as? [String] == ["aurora_roof", "aurora-serial:240002"])
        let components = try #require(json["cmps"] as? [String: [String: Any]])
        let keys = BridgeConfiguration.Fields.known.filter { $0 != "energy" } + ["state", "alarm", "availability", "event"]
        #expect(Set(components.keys) == Set(keys))
        for (key, component) in components {
            #expect(component["p"] as? String == (key == "event" ? "event" : "sensor"), "\(key)")
            #expect(component["unique_id"] as? String == "aurora_roof_\(key)", "the unique ids of the per-entity mode: \(key)")
            #expect(component["device"] == nil && component["origin"] == nil, "\(key)")
        }
        #expect(components["gridPower"]?["state_topic"] as? String == "aurora/roof/loop/gridPower")
        #expect(components["event"]?["state_topic"] as? String == "aurora/roof/event")
        #expect(components["event"]?["event_types"] as? [String] == ["alarm_raised", "alarm_cleared", "state_changed", "availability_changed", "clock_corrected"])
    }

    @Test func theBridgeIsADeviceWithItsEventEntity() throws {
        let configuration = try Self.configuration()
        let messages = HomeAssistantDiscovery(configuration: configuration).messages(identities: [:])
        let bridge = try #require(messages.first { $0.topic == "homeassistant/device/aurora_bridge/config" })
        let json = try Self.json(bridge.payload)
        let device = try #require(json["dev"] as? [String: Any])
        #expect(device["name"] as? String == "Aurora bridge" && device["manufacturer"] as? String == "aurora-bridge")
        let components = try #require(json["cmps"] as? [String: [String: Any]])
        #expect(Array(components.keys) == ["event"])
        #expect(components["event"]?["state_topic"] as? String == "aurora/bridge/event")
        #expect(components["event"]?["event_types"] as? [String] == EventType.bridgeTypes.map(\.rawValue))
        #expect(HomeAssistantSchema.deviceProblems(bridge.payload).isEmpty, "\(HomeAssistantSchema.deviceProblems(bridge.payload))")
    }

    @Test func theComponentsCarryWhatThePerEntityConfigsCarry() throws {
        let device = try Self.components(try Self.configuration())
        let entity = HomeAssistantDiscoveryTests.messages(try Self.configuration("discovery = \"entity\"\n"))
        for message in entity {
            let key = String(message.topic.split(separator: "/")[3])
            var config = try Self.json(message.payload)
            config["device"] = nil
            config["origin"] = nil
            var component = try #require(device[key])
            component["p"] = nil
            #expect(NSDictionary(dictionary: config).isEqual(to: component), "\(key)")
        }
    }

    @Test func everyPayloadFollowsTheDocumentedSchema() throws {
        let variants = [
            "", "discovery = true\n", "discovery = \"entity\"\n", "all_entities = false\n", "node_id = \"garage\"\n",
            "discovery = \"entity\"\nall_entities = false\nexpire_after = 600\n",
        ]
        for variant in variants {
            let configuration = try Self.configuration(variant, extra: "[fields]\nrename = { gridPower = \"power\" }\nexclude = [\"leakCurrent\"]\n")
            for identity in [nil, HomeAssistantDiscoveryTests.identity] {
                let messages = HomeAssistantDiscoveryTests.messages(configuration, identity: identity)
                #expect(!messages.isEmpty)
                for message in messages {
                    let problems = message.topic.contains("/device/")
                        ? HomeAssistantSchema.deviceProblems(message.payload)
                        : HomeAssistantSchema.entityProblems(message.payload, platform: String(message.topic.split(separator: "/")[1]))
                    #expect(problems.isEmpty, "\(variant): \(message.topic): \(problems)")
                }
            }
        }
    }

    @Test func theSchemaCheckerRejectsWhatHomeAssistantRejects() {
        let valid = #"{"dev":{"ids":["x"]},"o":{"name":"b"},"cmps":{"a":{"p":"sensor","unique_id":"x_a","state_topic":"t"}}}"#
        #expect(HomeAssistantSchema.deviceProblems(valid).isEmpty)
        #expect(HomeAssistantSchema.deviceProblems(#"{"o":{"name":"b"},"cmps":{"a":{"p":"sensor","unique_id":"u","state_topic":"t"}}}"#) == ["device: required"])
        #expect(HomeAssistantSchema.deviceProblems(#"{"dev":{"ids":"x"},"o":{},"cmps":{"a":{"p":"sensor","unique_id":"u","state_topic":"t"}}}"#) == ["o.name: required"])
        #expect(HomeAssistantSchema.deviceProblems(#"{"dev":{"ids":"x"},"o":{"name":"b"},"cmps":{"a":{"unique_id":"u","state_topic":"t"}}}"#) == ["cmps.a.platform: required"])
        #expect(HomeAssistantSchema.deviceProblems(#"{"dev":{"ids":"x"},"o":{"name":"b"},"cmps":{"a":{"p":"sensor","state_topic":"t"}}}"#) == ["cmps.a.unique_id: required"])
        #expect(HomeAssistantSchema.deviceProblems(#"{"dev":{"ids":"x"},"o":{"name":"b"},"cmps":{"a":{"p":"sensor","unique_id":"u","state_topic":"t","colour":"red"}}}"#) == ["cmps.a.colour: not a documented option"])
        #expect(HomeAssistantSchema.entityProblems(#"{"dev":{"ids":"x"},"state_topic":"t","suggested_display_precision":"3"}"#) == ["suggested_display_precision: expected integer"])
        #expect(HomeAssistantSchema.entityProblems(#"{"dev":{"ids":"x"},"state_topic":"t","enabled_by_default":0}"#) == ["enabled_by_default: expected boolean"])
        #expect(HomeAssistantSchema.entityProblems(#"{"dev":{"ids":"x"},"state_topic":"t","entity_category":"primary"}"#) == ["entity_category: primary"])
        #expect(HomeAssistantSchema.entityProblems(#"{"dev":{"ids":"x"},"name":"n"}"#) == ["state_topic: required"])
    }

    @Test func diagnosticMeasuresAreDisabledByDefaultOnlyWithoutAllEntities() throws {
        let optional = ["bulkVoltage", "boosterTemp", "leakdcCurrent", "leakCurrent", "isoResistance", "bulkmidVoltage", "bulkdcVoltage"]
        let all = try Self.components(try Self.configuration())
        #expect(all.values.allSatisfy { $0["enabled_by_default"] == nil }, "all entities on by default, as before")
        let fewer = try Self.components(try Self.configuration("all_entities = false\n"))
        for key in optional {
            let component = try #require(fewer[key], "\(key)")
            #expect(component["enabled_by_default"] as? Bool == false, "\(key)")
            #expect(component["entity_category"] as? String == "diagnostic", "\(key)")
        }
        for key in ["gridPower", "totalEnergy", "gridVoltage", "inverterTemp", "availability", "state"] {
            #expect(fewer[key]?["enabled_by_default"] == nil, "\(key) stays enabled")
        }
        #expect(all["availability"]?["entity_category"] as? String == "diagnostic")
        #expect(all["leakCurrent"]?["suggested_display_precision"] as? Int == 3, "milliamps")
        #expect(all["leakdcCurrent"]?["suggested_display_precision"] as? Int == 3, "milliamps")
        #expect(all["gridCurrent"]?["suggested_display_precision"] as? Int == 2)
    }

    @Test func nodeIDReplacesThePrefixInNodeAndUniqueIDs() throws {
        let configuration = try Self.configuration("node_id = \"garage\"\n")
        let messages = HomeAssistantDiscoveryTests.messages(configuration)
        #expect(messages.map(\.topic) == ["homeassistant/device/garage_roof/config"])
        let components = try Self.components(configuration)
        #expect(components["gridPower"]?["unique_id"] as? String == "garage_roof_gridPower")
        #expect(components["gridPower"]?["state_topic"] as? String == "aurora/roof/loop/gridPower", "topics keep the prefix")
    }

    @Test func discoveryTakesBooleansAndModes() throws {
        #expect(try Self.configuration().homeAssistant.discovery == .device)
        #expect(try Self.configuration("discovery = true\n").homeAssistant.discovery == .device)
        #expect(try Self.configuration("discovery = false\n").homeAssistant.discovery == .off)
        #expect(try Self.configuration("discovery = \"entity\"\n").homeAssistant.discovery == .entity)
        #expect(try Self.configuration("discovery = \"off\"\n").homeAssistant.discovery == .off)
        #expect(HomeAssistantDiscoveryTests.messages(try Self.configuration("discovery = false\n")).isEmpty)
    }
}

import AuroraProtocol
import Foundation
import Testing

@testable import AuroraBridge
@testable import AuroraLink

/// The discovery messages, computed from configuration text alone; per-entity mode unless the
/// test says otherwise (device mode: ``DeviceDiscoveryTests``).
@Suite struct HomeAssistantDiscoveryTests {
    /// ``configuration(_:)`` with `[homeassistant] discovery = "entity"`.
    static func entityConfiguration(_ extra: String = "") throws -> BridgeConfiguration {
        let mode = "[homeassistant]\ndiscovery = \"entity\"\n"
        return try configuration(
            extra.contains("[homeassistant]\n") ? extra.replacingOccurrences(of: "[homeassistant]\n", with: mode) : extra + mode)
    }

    /// One inverter named `roof` at address 2, plus `extra` TOML.
    static func configuration(_ extra: String = "") throws -> BridgeConfiguration {
        try parse("[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"roof\"\naddress = 2\n" + extra)
    }

    /// What the simulator's inverter at address 2 says about itself.
    static let identity = InverterIdentity(
        partNumber: "-3G79-", serialNumber: "240002", version: VersionInfo(code: "OENN"),
        firmware: FirmwareRelease(reply: Response(globalState: 6, data: Array("C016".utf8))),
        manufactureDate: ManufactureDate(reply: Response(globalState: 6, data: Array("4612".utf8))))

    static func messages(_ configuration: BridgeConfiguration, identity: InverterIdentity? = nil) -> [HomeAssistantDiscovery.Message] {
        HomeAssistantDiscovery(configuration: configuration).messages(for: configuration.inverters[0], identity: identity)
    }

    static func payload(_ messages: [HomeAssistantDiscovery.Message], _ key: String) throws -> [String: Any] {
        let message = try #require(messages.first { $0.topic == "homeassistant/sensor/aurora_roof/\(key)/config" })
        return try #require(try JSONSerialization.jsonObject(with: Data(message.payload.utf8)) as? [String: Any])
    }

    @Test func exactConfigOfGridPower() throws {
        let messages = Self.messages(try Self.entityConfiguration(), identity: Self.identity)
        let gridPower = try #require(messages.first { $0.topic == "homeassistant/sensor/aurora_roof/gridPower/config" })
        #expect(
            gridPower.payload
                == #"{"name":"Grid power","unique_id":"aurora_roof_gridPower","state_topic":"aurora/roof/loop/gridPower","#
                + #""unit_of_measurement":"W","device_class":"power","state_class":"measurement","#
                + #""suggested_display_precision":0,"availability":[{"topic":"aurora/bridge/state","#
                + #""payload_available":"online","payload_not_available":"offline"},{"topic":"aurora/roof/availability","#
                + #""value_template":"{{ 'online' if value == 'online' else 'offline' }}","payload_available":"online","#
                + #""payload_not_available":"offline"}],"availability_mode":"all","device":{"identifiers":["aurora_roof","#
                + #""aurora-serial:240002"],"name":"Aurora roof","manufacturer":"Power-One / ABB / FIMER","#
                + #""model":"PVI-3.6-OUTD","sw_version":"C.0.1.6","serial_number":"240002"},"origin":{"name":"aurora-bridge","#
                + #""sw":"\#(BridgeVersion.current)","url":"\#(HomeAssistantDiscovery.projectURL)"}}"#)
    }

    @Test func oneSensorPerAnnouncedFieldPlusStateAlarmAndAvailability() throws {
        let messages = Self.messages(try Self.entityConfiguration()).filter { !$0.topic.contains("/event/") }
        let keys = BridgeConfiguration.Fields.known.filter { $0 != "energy" } + ["state", "alarm", "availability"]
        #expect(messages.map(\.topic) == keys.map { "homeassistant/sensor/aurora_roof/\($0)/config" })
        var uniqueIDs: Set<String> = []
        for (message, key) in zip(messages, keys) {
            let json = try Self.payload(messages, key)
            #expect(json["unique_id"] as? String == "aurora_roof_\(key)", "\(message)")
            uniqueIDs.insert(json["unique_id"] as? String ?? "")
            #expect(json["availability_mode"] as? String == "all")
            let device = try #require(json["device"] as? [String: Any])
            #expect(device["identifiers"] as? [String] == ["aurora_roof"], "no serial before the identity is known")
            #expect(device["name"] as? String == "Aurora roof" && device["model"] == nil && device["sw_version"] == nil)
        }
        #expect(uniqueIDs.count == keys.count)
        #expect(try Self.payload(messages, "totalEnergy")["state_topic"] as? String == "aurora/roof/loop/totalEnergy")
    }

    @Test func unitsAndClassesFollowTheField() throws {
        let messages = Self.messages(try Self.entityConfiguration())
        func check(
            _ key: String, unit: String?, deviceClass: String?, stateClass: String?, diagnostic: Bool = false,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let json = try Self.payload(messages, key)
            #expect(json["unit_of_measurement"] as? String == unit, "\(key)", sourceLocation: sourceLocation)
            #expect(json["device_class"] as? String == deviceClass, "\(key)", sourceLocation: sourceLocation)
            #expect(json["state_class"] as? String == stateClass, "\(key)", sourceLocation: sourceLocation)
            #expect((json["entity_category"] as? String == "diagnostic") == diagnostic, "\(key)", sourceLocation: sourceLocation)
        }
        try check("gridPower", unit: "W", deviceClass: "power", stateClass: "measurement")
        try check("string2Power", unit: "W", deviceClass: "power", stateClass: "measurement")
        try check("gridVoltage", unit: "V", deviceClass: "voltage", stateClass: "measurement")
        try check("bulkVoltage", unit: "V", deviceClass: "voltage", stateClass: "measurement", diagnostic: true)
        try check("string1Current", unit: "A", deviceClass: "current", stateClass: "measurement")
        try check("gridFrequency", unit: "Hz", deviceClass: "frequency", stateClass: "measurement")
        try check("inverterTemp", unit: "°C", deviceClass: "temperature", stateClass: "measurement")
        try check("isoResistance", unit: "MΩ", deviceClass: nil, stateClass: "measurement", diagnostic: true)
        for period in EnergyPeriod.allCases {
            try check(period.fieldName, unit: "Wh", deviceClass: "energy", stateClass: "total_increasing")
        }
        try check("inverterDateTime", unit: nil, deviceClass: "timestamp", stateClass: nil, diagnostic: true)
        #expect(try Self.payload(messages, "inverterDateTime")["value_template"] as? String == "{{ value | int | timestamp_utc }}")
        #expect(try Self.payload(messages, "totalEnergy")["name"] as? String == "Energy total")
        #expect(!messages.contains { $0.topic.contains("/energy/") }, "the derived energy is not announced")

        let state = try Self.payload(messages, "state")
        #expect(state["state_topic"] as? String == "aurora/roof/state")
        #expect(state["value_template"] as? String == "{{ value_json['global']['text'] }}")
        #expect(state["json_attributes_topic"] as? String == "aurora/roof/state")
        #expect(try Self.payload(messages, "alarm")["value_template"] as? String == "{{ value_json['alarm']['text'] }}")
        let availability = try Self.payload(messages, "availability")
        #expect(availability["state_topic"] as? String == "aurora/roof/availability")
        #expect(availability["device_class"] as? String == "enum")
        #expect(availability["options"] as? [String] == ["online", "asleep", "unreachable"])
    }

    /// At night measurements become unavailable; counters and peaks keep their last value; the
    /// availability sensor shows `asleep` itself.
    @Test func nightBehaviourIsInTheAvailabilityTemplates() throws {
        let messages = Self.messages(try Self.entityConfiguration())
        func templates(_ key: String) throws -> [String?] {
            let entries = try #require(try Self.payload(messages, key)["availability"] as? [[String: Any]])
            #expect(entries.first?["topic"] as? String == "aurora/bridge/state")
            #expect(entries.dropFirst().allSatisfy { $0["topic"] as? String == "aurora/roof/availability" })
            return entries.map { $0["value_template"] as? String }
        }
        let live = "{{ 'online' if value == 'online' else 'offline' }}"
        let held = "{{ 'offline' if value == 'unreachable' else 'online' }}"
        for key in ["gridPower", "gridVoltage", "inverterTemp", "inverterDateTime", "state", "alarm"] {
            #expect(try templates(key) == [nil, live], "\(key)")
        }
        for key in ["dayEnergy", "totalEnergy", "peakPower", "dayPeakPower"] {
            #expect(try templates(key) == [nil, held], "\(key)")
        }
        #expect(try templates("availability") == [nil])
    }

    @Test func renamesKeepTheEntityAndExclusionsHaveNone() throws {
        let configuration = try Self.entityConfiguration(
            "[fields]\nrename = { gridPower = \"power\" }\nexclude = [\"leakCurrent\", \"energy\"]\n")
        let messages = Self.messages(configuration)
        let power = try Self.payload(messages, "gridPower")
        #expect(power["state_topic"] as? String == "aurora/roof/loop/power")
        #expect(power["unique_id"] as? String == "aurora_roof_gridPower")
        #expect(!messages.contains { $0.topic.contains("/power/") })
        // An excluded field has no config (the cleanup empties one announced before:
        // AnnouncementPlanTests).
        #expect(!messages.contains { $0.topic.contains("/leakCurrent/") || $0.payload.isEmpty })
        #expect(messages.count == 31 + 3 + 1, "the fields, state, alarm, availability and the event entity")
    }

    @Test func prefixesModelAndExpiry() throws {
        let configuration = try Self.entityConfiguration(
            "model = \"PVI-3.0-OUTD\"\n[topics]\nprefix = \"home/solar\"\n[homeassistant]\ndiscovery_prefix = \"ha\"\nexpire_after = 600\n")
        let discovery = HomeAssistantDiscovery(configuration: configuration)
        #expect(discovery.statusTopic == "ha/status")
        let messages = discovery.messages(identities: ["roof": Self.identity])
        #expect(messages.allSatisfy {
            $0.topic.hasPrefix("ha/sensor/home_solar_roof/") || $0.topic.hasPrefix("ha/event/home_solar_roof/")
                || $0.topic == "ha/event/home_solar_bridge/event/config"
        })
        let power = try #require(messages.first { $0.topic == "ha/sensor/home_solar_roof/gridPower/config" }?.payload)
        #expect(power.contains(#""unique_id":"home_solar_roof_gridPower","state_topic":"home/solar/roof/loop/gridPower""#))
        #expect(power.contains(#""topic":"home/solar/bridge/state""#) && power.contains(#""topic":"home/solar/roof/availability""#))
        #expect(power.contains(#""model":"PVI-3.0-OUTD""#), "the configured model wins over the decoded one")
        #expect(power.contains(#""expire_after":600"#))
        for key in ["totalEnergy", "dayPeakPower", "state", "availability"] {
            let payload = try #require(messages.first { $0.topic == "ha/sensor/home_solar_roof/\(key)/config" }?.payload)
            #expect(!payload.contains("expire_after"), "\(key) keeps its value at night")
        }
    }
}

import AuroraLink

/// Home Assistant MQTT discovery: the retained `config` messages that make an inverter's
/// sensors appear in Home Assistant, computed from the configuration alone (plus the identity,
/// once known, for the device's model, firmware and serial number).
///
/// Each inverter is a device; each announced loop field (renames and exclusions respected, see
/// ``HomeAssistantSensor``), its state, alarm and availability are sensors of it, under
/// `<discovery_prefix>/sensor/<node>/<key>/config`. `<node>` is the topic prefix (made
/// topic-safe) and the inverter's name, e.g. `aurora_roof`; `<key>` is the field's original name
/// (or `state`, `alarm`, `availability`), so a rename keeps the entity and its history. The
/// unique id is `<node>_<key>`, e.g. `aurora_roof_gridPower`. An excluded field's config topic
/// gets an empty retained message, which removes an entity announced before the exclusion.
///
/// Every sensor is available only while the bridge is `online`; the inverter's availability
/// topic decides the rest (`availability_mode: all`): `unreachable` makes every sensor
/// unavailable, `asleep` only those whose value no longer holds at night.
public struct HomeAssistantDiscovery: Sendable {
    /// One message to publish, retained.
    public struct Message: Sendable, Hashable, CustomStringConvertible {
        /// The config topic.
        public let topic: String
        /// The JSON config, or empty to remove the entity.
        public let payload: String

        public var description: String { "\(topic) \(payload)" }
    }

    /// The manufacturer shown on every device.
    public static let manufacturer = "Power-One / ABB / FIMER"

    let configuration: BridgeConfiguration

    /// Discovery for `configuration` (whether or not `[homeassistant] discovery` is on).
    public init(configuration: BridgeConfiguration) {
        self.configuration = configuration
    }

    /// Where Home Assistant announces itself: `<discovery_prefix>/status`, `online` when it starts.
    public var statusTopic: String { configuration.homeAssistant.discoveryPrefix + "/status" }

    /// Every inverter's messages, in file order; `identities` holds those known so far.
    public func messages(identities: [String: InverterIdentity]) -> [Message] {
        configuration.inverters.flatMap { messages(for: $0, identity: identities[$0.name]) } + plantMessages()
    }

    /// The plant's messages when it is published (see ``PlantAggregator``): one more device,
    /// with the sensors of ``HomeAssistantSensor/plant(fields:)``.
    public func plantMessages() -> [Message] {
        guard let name = configuration.plantName else { return [] }
        let plant = BridgeConfiguration.Inverter(name: name, address: 0, model: "Plant of \(configuration.inverters.count) inverters")
        let node = nodeID(plant)
        let device = device(plant, node: node, identity: nil)
        return HomeAssistantSensor.plant(fields: configuration.fields).map { message($0, inverter: plant, node: node, device: device) }
    }

    /// One inverter's messages: a config per sensor (loop fields in publishing order, then
    /// state, alarm and availability), then an empty message per excluded field.
    public func messages(for inverter: BridgeConfiguration.Inverter, identity: InverterIdentity?) -> [Message] {
        let node = nodeID(inverter)
        let device = device(inverter, node: node, identity: identity)
        var messages: [Message] = []
        var removed: [Message] = []
        for field in BridgeConfiguration.Fields.known {
            guard let sensor = HomeAssistantSensor.field(field) else { continue }
            if configuration.fields.publishedName(of: field) == nil {
                removed.append(Message(topic: configTopic(node: node, key: sensor.key), payload: ""))
            } else {
                messages.append(message(sensor, inverter: inverter, node: node, device: device))
            }
        }
        for sensor in HomeAssistantSensor.status {
            messages.append(message(sensor, inverter: inverter, node: node, device: device))
        }
        return messages + buttonMessages(for: inverter, node: node, device: device) + removed
    }

    // MARK: - Parts

    /// `aurora_roof`: the topic prefix, with characters other than letters, digits, `-` and `_`
    /// replaced by `_`, and the inverter's name.
    func nodeID(_ inverter: BridgeConfiguration.Inverter) -> String {
        let prefix = String(configuration.topics.prefix.map { BridgeConfiguration.Fields.isValidName(String($0)) ? $0 : "_" })
        return "\(prefix)_\(inverter.name)"
    }

    private func configTopic(node: String, key: String) -> String {
        "\(configuration.homeAssistant.discoveryPrefix)/sensor/\(node)/\(key)/config"
    }

    private func message(
        _ sensor: HomeAssistantSensor, inverter: BridgeConfiguration.Inverter, node: String, device: JSONObject
    ) -> Message {
        let topics = configuration.topics
        func render(_ template: TopicTemplate, field: String = "") -> String {
            template.render(prefix: topics.prefix, inverter: inverter.name, address: inverter.address, field: field)
        }
        var json = JSONObject()
        json.add("name", sensor.name)
        json.add("unique_id", "\(node)_\(sensor.key)")
        let stateTopic = switch sensor.source {
        case .loopField(let field): render(topics.loopField, field: configuration.fields.publishedName(of: field) ?? field)
        case .state: render(topics.state)
        case .availability: render(topics.availability)
        }
        json.add("state_topic", stateTopic)
        if let template = sensor.valueTemplate { json.add("value_template", template) }
        if sensor.stateAttributes { json.add("json_attributes_topic", stateTopic) }
        if let unit = sensor.unit { json.add("unit_of_measurement", unit) }
        if let deviceClass = sensor.deviceClass { json.add("device_class", deviceClass) }
        if !sensor.options.isEmpty { json.add("options", sensor.options) }
        if let stateClass = sensor.stateClass { json.add("state_class", stateClass) }
        if let precision = sensor.precision { json.add("suggested_display_precision", precision) }
        if sensor.diagnostic { json.add("entity_category", "diagnostic") }
        let expireAfter = configuration.homeAssistant.expireAfter.components.seconds
        if case .loopField = sensor.source, sensor.whileAsleep == .unavailable, expireAfter > 0 {
            json.add("expire_after", expireAfter)
        }
        var availability = [Self.availability(topic: Publisher.bridgeStateTopic(configuration), template: nil)]
        switch sensor.whileAsleep {
        case .unavailable:
            availability.append(Self.availability(topic: render(topics.availability), template: "{{ 'online' if value == 'online' else 'offline' }}"))
        case .lastValue:
            availability.append(Self.availability(topic: render(topics.availability), template: "{{ 'offline' if value == 'unreachable' else 'online' }}"))
        case .shown:
            break
        }
        json.add("availability", availability)
        json.add("availability_mode", "all")
        json.add("device", device)
        json.add("origin", Self.origin)
        return Message(topic: configTopic(node: node, key: sensor.key), payload: json.description)
    }

    /// An availability entry: `online`/`offline` on `topic`, after `template` if any.
    static func availability(topic: String, template: String?) -> JSONObject {
        var json = JSONObject()
        json.add("topic", topic)
        if let template { json.add("value_template", template) }
        json.add("payload_available", "online")
        json.add("payload_not_available", "offline")
        return json
    }

    /// The device, named "Aurora <inverter>": identified by the node id and, once known, by
    /// `aurora-serial:<serial number>` too (no node id has a colon). Home Assistant finds a device
    /// by any of its identifiers, so the inverter stays one device when its identity arrives.
    private func device(_ inverter: BridgeConfiguration.Inverter, node: String, identity: InverterIdentity?) -> JSONObject {
        var identifiers = [node]
        let serial = identity?.serialNumber ?? ""
        if !serial.isEmpty { identifiers.append("aurora-serial:\(serial)") }
        var json = JSONObject()
        json.add("identifiers", identifiers)
        json.add("name", "Aurora \(inverter.name)")
        json.add("manufacturer", Self.manufacturer)
        if let model = inverter.model ?? identity.map(\.version.model).flatMap({ $0.hasPrefix("unknown") ? nil : $0 }) {
            json.add("model", model)
        }
        if let identity {
            json.add("sw_version", identity.firmware.description)
            if !serial.isEmpty { json.add("serial_number", serial) }
        }
        return json
    }

    static let origin: JSONObject = {
        var json = JSONObject()
        json.add("name", "aurora-bridge")
        return json
    }()
}

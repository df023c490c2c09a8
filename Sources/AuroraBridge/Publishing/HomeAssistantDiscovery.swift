import AuroraLink

/// Home Assistant MQTT discovery: the retained `config` messages that make an inverter's
/// sensors appear in Home Assistant, computed from the configuration alone (plus the identity,
/// once known, for the device's model, firmware and serial number).
///
/// Each inverter is a device; each announced loop field (renames and exclusions respected, see
/// ``HomeAssistantSensor``), its state, alarm and availability are sensors of it. In device
/// mode (the default) they are the components (`cmps`) of one config per inverter,
/// `<discovery_prefix>/device/<node>/config`, with the device (`dev`) and origin (`o`); in
/// entity mode each has its own config, `<discovery_prefix>/sensor/<node>/<key>/config`.
/// `<node>` is `[homeassistant] node_id` or the topic prefix (made topic-safe), and the
/// inverter's name, e.g. `aurora_roof`; `<key>` is the field's original name (or `state`,
/// `alarm`, `availability`), so a rename keeps the entity and its history. The unique id is
/// `<node>_<key>` in both modes, e.g. `aurora_roof_gridPower`. What is no longer announced is
/// cleared through ``AnnouncementPlan``.
///
/// Every sensor is available only while the bridge is `online`; the inverter's availability
/// topic decides the rest (`availability_mode: all`): `unreachable` makes every sensor
/// unavailable, `asleep` only those whose value no longer holds at night.
public struct HomeAssistantDiscovery: Sendable {
    /// One message to publish, retained.
    public struct Message: Sendable, Hashable, CustomStringConvertible {
        /// The config topic.
        public let topic: String
        /// The JSON config.
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

    /// Every device's messages: the inverters in file order, the plant, the bridge; `identities`
    /// holds those known so far.
    public func messages(identities: [String: InverterIdentity]) -> [Message] {
        configuration.inverters.flatMap { messages(for: $0, identity: identities[$0.name]) }
            + (plant.map { messages(for: $0, identity: nil) } ?? []) + messages(for: bridge, identity: nil)
    }

    /// The bridge as a device of its own, `Aurora bridge`, with its event entity.
    var bridge: BridgeConfiguration.Inverter {
        BridgeConfiguration.Inverter(name: BridgeEvent.bridgeSource, address: 0, model: "aurora-bridge \(BridgeVersion.current)")
    }

    /// The plant as one more device when it is published (see ``PlantAggregator``), with the
    /// sensors of ``HomeAssistantSensor/plant(fields:)``; nil with fewer than two inverters or
    /// `[plant] enabled = false`.
    var plant: BridgeConfiguration.Inverter? {
        configuration.plantName.map {
            BridgeConfiguration.Inverter(name: $0, address: 0, model: "Plant of \(configuration.inverters.count) inverters")
        }
    }

    /// The inverters and the plant: every device with status topics of its own.
    var devices: [BridgeConfiguration.Inverter] { configuration.inverters + (plant.map { [$0] } ?? []) }

    /// Every device discovery announces: the inverters, the plant and the bridge.
    var discoveredDevices: [BridgeConfiguration.Inverter] { devices + [bridge] }

    /// One inverter's messages. Device mode: its one device config. Entity mode: a config per
    /// sensor (loop fields in publishing order, then state, alarm and availability). None when
    /// discovery is off. (The configs of excluded fields are cleared by ``AnnouncementPlan``.)
    public func messages(for inverter: BridgeConfiguration.Inverter, identity: InverterIdentity?) -> [Message] {
        let node = nodeID(inverter)
        let device = device(inverter, node: node, identity: identity)
        let components = components(inverter, node: node)
        switch configuration.homeAssistant.discovery {
        case .off:
            return []
        case .device:
            var cmps = JSONObject()
            for component in components {
                var entry = JSONObject()
                entry.add("p", component.platform)
                entry.merge(component.config)
                cmps.add(component.key, entry)
            }
            var json = JSONObject()
            json.add("dev", device)
            json.add("o", Self.origin)
            json.add("cmps", cmps)
            return [Message(topic: deviceTopic(node: node), payload: json.description)]
        case .entity:
            return components.map { component in
                var json = component.config
                json.add("device", device)
                json.add("origin", Self.origin)
                return Message(topic: entityTopic(node: node, key: component.key, platform: component.platform), payload: json.description)
            }
        }
    }

    /// Every config topic this inverter could have had in either mode, whatever the
    /// configuration announces now: for clearing and for the migration between modes.
    public func allConfigTopics(for inverter: BridgeConfiguration.Inverter) -> [String] {
        let node = nodeID(inverter)
        return [deviceTopic(node: node)] + Self.allKeys.map { entityTopic(node: node, key: $0.key, platform: $0.platform) }
    }

    /// The keys of every sensor an inverter can have (what versions before the record of
    /// announcements announced).
    static let inverterSensorKeys: [String] = BridgeConfiguration.Fields.known.compactMap { HomeAssistantSensor.field($0)?.key }
        + HomeAssistantSensor.status.map(\.key)

    /// The keys and platforms of every component the bridge knows, announced or not: the
    /// sensors of an inverter and of the plant, the command buttons and the event entity.
    static let allKeys: [(key: String, platform: String)] = {
        let sensors = inverterSensorKeys + HomeAssistantSensor.plant(fields: BridgeConfiguration.Fields()).map(\.key)
        var seen: Set<String> = []
        return sensors.filter { seen.insert($0).inserted }.map { ($0, "sensor") } + buttonKeys.map { ($0, "button") }
            + [(eventKey, "event")]
    }()

    // MARK: - Parts

    /// `aurora_roof`: the `node_id` setting, or else the topic prefix with characters other than
    /// letters, digits, `-` and `_` replaced by `_`; then `_` and the inverter's name. Two
    /// prefixes that differ only in such characters (`home/solar`, `home_solar`) give the same id.
    func nodeID(_ inverter: BridgeConfiguration.Inverter) -> String {
        let prefix = configuration.homeAssistant.nodeID
            ?? String(configuration.topics.prefix.map { BridgeConfiguration.Fields.isValidName(String($0)) ? $0 : "_" })
        return "\(prefix)_\(inverter.name)"
    }

    func entityTopic(node: String, key: String, platform: String = "sensor") -> String {
        "\(configuration.homeAssistant.discoveryPrefix)/\(platform)/\(node)/\(key)/config"
    }

    func deviceTopic(node: String) -> String {
        "\(configuration.homeAssistant.discoveryPrefix)/device/\(node)/config"
    }

    /// One announced component: its key (unique within the device), platform and config
    /// without device and origin.
    struct Component {
        let key: String
        let platform: String
        let config: JSONObject
    }

    /// The announced components of a device: an inverter's sensors (loop fields, state, alarm,
    /// availability), command buttons and event entity, the plant's sensors, or the bridge's
    /// event entity.
    func components(_ inverter: BridgeConfiguration.Inverter, node: String) -> [Component] {
        if inverter == bridge { return [event(for: inverter, node: node)] }
        if inverter.name == plant?.name {
            return HomeAssistantSensor.plant(fields: configuration.fields).map {
                Component(key: $0.key, platform: "sensor", config: component($0, inverter: inverter, node: node))
            }
        }
        let fields = BridgeConfiguration.Fields.known.compactMap { field -> HomeAssistantSensor? in
            guard configuration.fields.publishedName(of: field) != nil else { return nil }
            return HomeAssistantSensor.field(field)
        }
        return (fields + HomeAssistantSensor.status).map {
            Component(key: $0.key, platform: "sensor", config: component($0, inverter: inverter, node: node))
        } + buttons(for: inverter) + [event(for: inverter, node: node)]
    }

    private func component(_ sensor: HomeAssistantSensor, inverter: BridgeConfiguration.Inverter, node: String) -> JSONObject {
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
        if sensor.optional && !configuration.homeAssistant.allEntities { json.add("enabled_by_default", false) }
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
        return json
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

    /// The device, named "Aurora <inverter>" (the bridge's "Aurora bridge", made by
    /// aurora-bridge): identified by the node id and, once known, by
    /// `aurora-serial:<serial number>` too (no node id has a colon). Home Assistant finds a device
    /// by any of its identifiers, so the inverter stays one device when its identity arrives.
    private func device(_ inverter: BridgeConfiguration.Inverter, node: String, identity: InverterIdentity?) -> JSONObject {
        var identifiers = [node]
        let serial = identity?.serialNumber ?? ""
        if !serial.isEmpty { identifiers.append("aurora-serial:\(serial)") }
        var json = JSONObject()
        json.add("identifiers", identifiers)
        json.add("name", "Aurora \(inverter.name)")
        json.add("manufacturer", inverter == bridge ? "aurora-bridge" : Self.manufacturer)
        if let model = inverter.model ?? identity.map(\.version.model).flatMap({ $0.hasPrefix("unknown") ? nil : $0 }) {
            json.add("model", model)
        }
        if let identity {
            json.add("sw_version", identity.firmware.description)
            if !serial.isEmpty { json.add("serial_number", serial) }
        }
        return json
    }

    /// Where the bridge's documentation lives, in the origin of every config.
    public static let projectURL = "https://github.com/aurora-bridge/aurora-bridge"

    /// The origin: the bridge, its version and its documentation.
    static let origin: JSONObject = {
        var json = JSONObject()
        json.add("name", "aurora-bridge")
        json.add("sw", BridgeVersion.current)
        json.add("url", projectURL)
        return json
    }()
}

extension BridgeConfiguration {
    /// `[homeassistant]`: Home Assistant MQTT discovery (see `docs/home-assistant.md`).
    public struct HomeAssistant: Sendable, Equatable {
        /// How the bridge announces its sensors to Home Assistant.
        public enum DiscoveryMode: String, Sendable, Equatable, CaseIterable {
            /// One retained `<prefix>/device/<node>/config` per inverter (Home Assistant ≥ 2024.11).
            case device
            /// One retained `<prefix>/sensor/<node>/<key>/config` per sensor, for older Home Assistant.
            case entity
            /// No discovery (`discovery = false`).
            case off
        }

        /// `discovery`: `"device"` (the default, also `true`), `"entity"`, or `false` (off).
        public var discovery: DiscoveryMode
        /// `node_id`: replaces the topic prefix in node ids and unique ids (`<node_id>_<inverter>`),
        /// so two bridges can share one Home Assistant; nil (the default) keeps `<prefix>_<inverter>`.
        public var nodeID: String?
        /// `all_entities`: whether the diagnostic measures are enabled by default. Default true.
        public var allEntities: Bool
        /// `discovery_prefix`: Home Assistant's discovery prefix; the bridge publishes under
        /// `<prefix>/sensor/…/config` and listens for Home Assistant's birth message on
        /// `<prefix>/status`. Default `"homeassistant"`.
        public var discoveryPrefix: String
        /// `expire_after`: whole seconds after which Home Assistant shows a measurement as
        /// unavailable when no new value came; 0 (the default) leaves it to the availability topics.
        public var expireAfter: Duration

        /// Settings with the documented defaults.
        public init(
            discovery: DiscoveryMode = .device, discoveryPrefix: String = "homeassistant", expireAfter: Duration = .zero,
            nodeID: String? = nil, allEntities: Bool = true
        ) {
            self.discovery = discovery
            self.nodeID = nodeID
            self.allEntities = allEntities
            self.discoveryPrefix = discoveryPrefix
            self.expireAfter = expireAfter
        }
    }
}

extension BridgeConfiguration.HomeAssistant {
    /// Reads `[homeassistant]`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self {
        reader.checkKeys(table)
        var settings = Self()
        if case .boolean(let flag) = table.entries["discovery"] {
            settings.discovery = flag ? .device : .off
        } else if let mode = reader.choice(table, "discovery").flatMap(DiscoveryMode.init(rawValue:)) {
            settings.discovery = mode
        }
        if let nodeID = reader.string(table, "node_id") {
            if BridgeConfiguration.Fields.isValidName(nodeID) {
                settings.nodeID = nodeID
            } else {
                reader.report(
                    table, "node_id",
                    "must consist of letters, digits, \"-\" and \"_\" only, got \(TOMLText.quoted(nodeID))")
            }
        }
        if let allEntities = reader.bool(table, "all_entities") { settings.allEntities = allEntities }
        if let prefix = reader.string(table, "discovery_prefix") {
            if prefix.contains("+") || prefix.contains("#") {
                reader.report(
                    table, "discovery_prefix",
                    "must not contain the MQTT wildcards \"+\" or \"#\", got \(TOMLText.quoted(prefix))")
            } else if prefix.hasPrefix("$") {
                reader.report(
                    table, "discovery_prefix",
                    "must not start with \"$\" (reserved for the broker's own topics), got \(TOMLText.quoted(prefix))")
            } else if prefix.hasPrefix("/") || prefix.hasSuffix("/") {
                reader.report(
                    table, "discovery_prefix",
                    "must not start or end with \"/\" (the bridge adds the separators), got \(TOMLText.quoted(prefix))")
            } else {
                settings.discoveryPrefix = prefix
            }
        }
        if let expireAfter = reader.duration(table, "expire_after") {
            settings.expireAfter = expireAfter
        }
        return settings
    }
}

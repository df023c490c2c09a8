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

        /// `discovery`: `"device"` (also `true`), `"entity"`, or `false` (off).
        public var discovery = DiscoveryMode.device
        /// `discovery_prefix`: Home Assistant's discovery prefix; the bridge publishes under
        /// `<prefix>/sensor/…/config` and listens for Home Assistant's birth message on
        /// `<prefix>/status`.
        public var discoveryPrefix = "homeassistant"
        /// `expire_after`: whole seconds after which Home Assistant shows a measurement as
        /// unavailable when no new value came; 0 leaves it to the availability topics.
        public var expireAfter = Duration.zero
        /// `node_id`: replaces the topic prefix in node ids and unique ids (`<node_id>_<inverter>`),
        /// so two bridges can share one Home Assistant; nil keeps `<prefix>_<inverter>`.
        public var nodeID: String?
        /// `all_entities`: whether the diagnostic measures are enabled by default.
        public var allEntities = true
    }
}

extension BridgeConfiguration.HomeAssistant: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init(
            "discovery", \.discovery, .choice(DiscoveryMode.allCases.map(\.rawValue)),
            "\"device\": one config per inverter (Home Assistant ≥ 2024.11); \"entity\": one per sensor; \"off\". true = \"device\", false = \"off\".",
            decode: { key, table, reader in
                if case .boolean(let flag) = table.entries[key.name] { return flag ? .device : .off }
                return DiscoveryMode.read(key, in: table, &reader)
            }),
        .init(
            "discovery_prefix", \.discoveryPrefix, .string(what: "a topic prefix"), "Home Assistant's discovery prefix."
        ) { prefix, _ in
            BridgeConfiguration.Topics.prefixProblem(prefix, wildcards: "must not contain", separators: "the bridge adds")
        },
        .init(
            "expire_after", \.expireAfter, .duration(1...86400, wholeSeconds: true, zeroAllowed: true),
            "Seconds without a new value after which Home Assistant shows a measurement as unavailable; 0 = never."),
        .init(
            "node_id", \.nodeID, .string(what: "a node id (letters, digits, \"-\", \"_\")"),
            "Replaces the topic prefix in Home Assistant node and unique ids (<node_id>_<inverter>), so two bridges can share one Home Assistant.",
            default: "none (the topic prefix)"
        ) { nodeID in
            BridgeConfiguration.Fields.isValidName(nodeID) ? nil
                : "must consist of letters, digits, \"-\" and \"_\" only, got \(TOMLText.quoted(nodeID))"
        },
        .init(
            "all_entities", \.allEntities, .boolean,
            "Whether the diagnostic measures (bulk, booster, leakage, isolation, DC/DC) are enabled by default in Home Assistant."),
    ]
}

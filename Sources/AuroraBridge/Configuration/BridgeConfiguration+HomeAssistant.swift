extension BridgeConfiguration {
    /// `[homeassistant]`: Home Assistant MQTT discovery (see `docs/home-assistant.md`).
    public struct HomeAssistant: Sendable, Equatable {
        /// `discovery`: whether the bridge announces its sensors to Home Assistant. Default true.
        public var discovery: Bool
        /// `discovery_prefix`: Home Assistant's discovery prefix; the bridge publishes under
        /// `<prefix>/sensor/…/config` and listens for Home Assistant's birth message on
        /// `<prefix>/status`. Default `"homeassistant"`.
        public var discoveryPrefix: String
        /// `expire_after`: whole seconds after which Home Assistant shows a measurement as
        /// unavailable when no new value came; 0 (the default) leaves it to the availability topics.
        public var expireAfter: Duration

        /// Settings with the documented defaults.
        public init(discovery: Bool = true, discoveryPrefix: String = "homeassistant", expireAfter: Duration = .zero) {
            self.discovery = discovery
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
        if let discovery = reader.bool(table, "discovery") { settings.discovery = discovery }
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

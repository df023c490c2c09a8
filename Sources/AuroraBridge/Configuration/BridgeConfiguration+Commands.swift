extension BridgeConfiguration {
    /// `[commands]`: commands over MQTT (see `docs/home-assistant.md`).
    public struct Commands: Sendable, Equatable {
        /// `enabled`: whether the bridge subscribes to the command topics; with commands off, it
        /// subscribes to nothing but Home Assistant's status.
        public var enabled = false
    }
}

extension BridgeConfiguration.Commands: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init("enabled", \.enabled, .boolean, "Whether the bridge subscribes to the command topics.")
    ]
}

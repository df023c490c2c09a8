extension BridgeConfiguration {
    /// `[commands]`: commands over MQTT (see `docs/home-assistant.md`).
    public struct Commands: Sendable, Equatable {
        /// `enabled`: whether the bridge subscribes to the command topics. Default false: with
        /// commands off, the bridge subscribes to nothing but Home Assistant's status.
        public var enabled: Bool

        /// Settings with the documented default (off).
        public init(enabled: Bool = false) {
            self.enabled = enabled
        }
    }
}

extension BridgeConfiguration.Commands {
    /// Reads `[commands]`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self {
        reader.checkKeys(table)
        var commands = Self()
        if let enabled = reader.bool(table, "enabled") { commands.enabled = enabled }
        return commands
    }
}

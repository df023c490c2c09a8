extension BridgeConfiguration {
    /// `[stats]`: the bridge's own counters topic.
    public struct Stats: Sendable, Equatable {
        /// `interval`: how often the stats are published.
        public var interval = Duration.seconds(60)
    }
}

extension BridgeConfiguration.Stats: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init(
            "interval", \.interval, .duration(ConfigKey.minimumSeconds...ConfigKey.maximumSeconds),
            "How often the counters are published."),
    ]
}

extension BridgeConfiguration {
    /// `[stats]`: the bridge's own counters topic.
    public struct Stats: Sendable, Equatable {
        /// `interval`: how often the stats are published, seconds from 0.001 to 604800 (a week).
        /// Default 60 s.
        public var interval: Duration

        /// Stats settings with the documented default.
        public init(interval: Duration = .seconds(60)) {
            self.interval = interval
        }
    }
}

extension BridgeConfiguration.Stats {
    /// Reads `[stats]`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self {
        reader.checkKeys(table)
        var stats = Self()
        if let interval = reader.duration(table, "interval") {
            stats.interval = interval
        }
        return stats
    }
}

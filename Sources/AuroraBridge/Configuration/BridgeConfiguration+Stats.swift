extension BridgeConfiguration {
    /// `[stats]`: the bridge's own counters topic.
    public struct Stats: Sendable, Equatable {
        /// `interval`: how often the stats are published, seconds greater than 0 (fractions
        /// allowed). Default 60 s.
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
        reader.checkKeys(table, keys: ["interval"])
        var stats = Self()
        if let interval = reader.seconds(table, "interval", allowed: "greater than 0", where: { $0 > 0 }) {
            stats.interval = interval
        }
        return stats
    }
}

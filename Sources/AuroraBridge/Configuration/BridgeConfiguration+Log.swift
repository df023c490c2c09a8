import Logging

extension BridgeConfiguration {
    /// `[log]`: logging.
    public struct Log: Sendable, Equatable {
        /// `level`: the lowest level logged: `trace`, `debug`, `info`, `notice`, `warning`,
        /// `error` or `critical`. Default `info`.
        public var level: Logger.Level

        /// Log settings with the documented default.
        public init(level: Logger.Level = .info) {
            self.level = level
        }
    }
}

extension BridgeConfiguration.Log {
    /// Reads `[log]`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self {
        reader.checkKeys(table)
        var log = Self()
        if let name = reader.choice(table, "level"),
            let level = Logger.Level(rawValue: name)
        {
            log.level = level
        }
        return log
    }
}

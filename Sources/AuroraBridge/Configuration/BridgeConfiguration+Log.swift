import Logging

extension BridgeConfiguration {
    /// `[log]`: logging.
    public struct Log: Sendable, Equatable {
        /// `level`: the lowest level logged.
        public var level = Logger.Level.info
    }
}

extension BridgeConfiguration.Log: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init("level", \.level, .choice(Logger.Level.allCases.map(\.rawValue)), "The lowest level logged.")
    ]
}

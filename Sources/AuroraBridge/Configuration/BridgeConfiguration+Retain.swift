extension BridgeConfiguration {
    /// `[retain]`: which classes of messages the broker keeps for late subscribers.
    ///
    /// `bridge_state` is always retained (it carries the will) and `bridge_stats` never is.
    public struct Retain: Sendable, Equatable {
        /// `loop`: the per-field loop topics and the JSON loop topic. Default true.
        public var loop: Bool
        /// `archive`: the JSON archive topic and the per-field archive topics. Default true.
        public var archive: Bool
        /// `state`: the inverter state topic. Default true.
        public var state: Bool
        /// `info`: the inverter info topic. Default true.
        public var info: Bool
        /// `availability`: the availability topic. Default true.
        public var availability: Bool

        /// Retain flags; every one defaults to true.
        public init(loop: Bool = true, archive: Bool = true, state: Bool = true, info: Bool = true, availability: Bool = true) {
            self.loop = loop
            self.archive = archive
            self.state = state
            self.info = info
            self.availability = availability
        }
    }
}

extension BridgeConfiguration.Retain {
    /// Each key with the flag it sets, in file order.
    static var slots: [(key: String, path: WritableKeyPath<Self, Bool>)] {
        [("loop", \.loop), ("archive", \.archive), ("state", \.state), ("info", \.info), ("availability", \.availability)]
    }

    /// Reads `[retain]`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self {
        reader.checkKeys(table)
        var retain = Self()
        for slot in slots {
            if let flag = reader.bool(table, slot.key) { retain[keyPath: slot.path] = flag }
        }
        return retain
    }
}

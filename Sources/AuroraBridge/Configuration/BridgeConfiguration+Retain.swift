extension BridgeConfiguration {
    /// `[retain]`: which classes of messages the broker keeps for late subscribers.
    ///
    /// `bridge_state` is always retained (it carries the will) and `bridge_stats` never is.
    public struct Retain: Sendable, Equatable {
        /// `loop`: the per-field loop topics and the JSON loop topic.
        public var loop = true
        /// `archive`: the JSON archive topic and the per-field archive topics.
        public var archive = true
        /// `state`: the inverter state topic.
        public var state = true
        /// `info`: the inverter info topic.
        public var info = true
        /// `availability`: the availability topic.
        public var availability = true
    }
}

extension BridgeConfiguration.Retain: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init("loop", \.loop, .boolean, "The loop_field and loop topics."),
        .init("archive", \.archive, .boolean, "The archive and archive_field topics."),
        .init("state", \.state, .boolean, "The state topic."),
        .init("info", \.info, .boolean, "The info topic."),
        .init("availability", \.availability, .boolean, "The availability topic."),
    ]
}

extension BridgeConfiguration.MQTT {
    /// `protocol`: which MQTT version to speak.
    public enum ProtocolVersion: String, Sendable, Equatable, CaseIterable {
        /// MQTT 3.1.1, `"3.1.1"`: every broker speaks it.
        case v3_1_1 = "3.1.1"
        /// MQTT 5, `"5"`.
        case v5 = "5"
    }
}

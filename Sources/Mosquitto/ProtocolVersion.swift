import CMosquitto

/// The MQTT protocol version the client speaks.
public enum ProtocolVersion: Sendable, Hashable, CustomStringConvertible {
    /// MQTT 3.1 (`MQTT_PROTOCOL_V31`).
    case v3_1
    /// MQTT 3.1.1 (`MQTT_PROTOCOL_V311`), the default.
    case v3_1_1
    /// MQTT 5 (`MQTT_PROTOCOL_V5`).
    case v5

    var cValue: Int32 {
        switch self {
        case .v3_1: MQTT_PROTOCOL_V31
        case .v3_1_1: MQTT_PROTOCOL_V311
        case .v5: MQTT_PROTOCOL_V5
        }
    }

    public var description: String {
        switch self {
        case .v3_1: "MQTT 3.1"
        case .v3_1_1: "MQTT 3.1.1"
        case .v5: "MQTT 5"
        }
    }
}

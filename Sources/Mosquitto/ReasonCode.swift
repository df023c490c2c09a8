import CMosquitto

/// A result code sent by the broker: a CONNACK return code (MQTT 3.1.1, 0…5) or an MQTT 5
/// reason code (0 for success, 128 and above for failures).
public struct ReasonCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric code as it appeared on the wire.
    public let rawValue: Int

    /// Creates a reason code from its numeric value.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Success (both protocol versions).
    public static let success = ReasonCode(rawValue: 0)
    /// MQTT 3.1.1 CONNACK 4: bad user name or password.
    public static let badCredentials = ReasonCode(rawValue: 4)
    /// MQTT 3.1.1 CONNACK 5: not authorised.
    public static let notAuthorized = ReasonCode(rawValue: 5)
    /// MQTT 5 reason 134: bad user name or password.
    public static let badCredentialsV5 = ReasonCode(rawValue: 134)
    /// MQTT 5 reason 135: not authorised.
    public static let notAuthorizedV5 = ReasonCode(rawValue: 135)

    /// MQTT 5 DISCONNECT reason 142: another client connected with the same client id.
    public static let sessionTakenOver = ReasonCode(rawValue: 142)

    /// Whether the code reports a failure.
    public var isFailure: Bool { rawValue != 0 && (rawValue < 6 || rawValue >= 128) }

    /// Whether the broker refused the credentials (user name, password or authorisation).
    public var isAuthenticationFailure: Bool {
        [Self.badCredentials, .notAuthorized, .badCredentialsV5, .notAuthorizedV5].contains(self)
    }

    /// The text libmosquitto gives for the code.
    ///
    /// Wraps `mosquitto_connack_string` for MQTT 3.1.1 return codes (below 128) and
    /// `mosquitto_reason_string` for MQTT 5 reason codes.
    public var description: String {
        let text = rawValue < 128
            ? mosquitto_connack_string(Int32(rawValue))
            : mosquitto_reason_string(Int32(rawValue))
        return text.map { String(cString: $0) } ?? "reason code \(rawValue)"
    }
}

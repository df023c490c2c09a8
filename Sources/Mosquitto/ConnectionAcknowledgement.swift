/// The broker's acceptance of a connection (CONNACK with success).
public struct ConnectionAcknowledgement: Sendable, Hashable, CustomStringConvertible {
    /// The CONNACK return code or MQTT 5 reason code (``ReasonCode/success`` here).
    public let reasonCode: ReasonCode
    /// Whether the broker resumed a stored session (only with `cleanSession: false`). When
    /// `false`, earlier subscriptions are gone and must be made again.
    public let sessionPresent: Bool

    /// Creates an acknowledgement (for tests and fakes).
    public init(reasonCode: ReasonCode = .success, sessionPresent: Bool = false) {
        self.reasonCode = reasonCode
        self.sessionPresent = sessionPresent
    }

    public var description: String {
        "\(reasonCode)\(sessionPresent ? " (session present)" : "")"
    }
}

/// The message the broker publishes on the client's behalf when the connection dies without
/// a DISCONNECT (crash, network loss, keep-alive timeout). A clean ``MosquittoClient/disconnect()``
/// discards it.
public struct LastWill: Sendable, Hashable {
    /// The topic of the will.
    public var topic: String
    /// The payload bytes.
    public var payload: [UInt8]
    /// The QoS the broker publishes the will with.
    public var qos: QoS
    /// Whether the broker retains the will.
    public var retain: Bool

    /// Creates a will with a binary payload.
    public init(topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = true) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }

    /// Creates a will with a UTF-8 text payload, e.g. `LastWill(topic: "aurora/bridge/state", text: "offline")`.
    public init(topic: String, text: String, qos: QoS = .atLeastOnce, retain: Bool = true) {
        self.init(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }
}

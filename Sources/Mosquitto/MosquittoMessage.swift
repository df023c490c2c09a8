/// A message received from the broker on a subscribed topic.
public struct MosquittoMessage: Sendable, Hashable {
    /// The topic it was published to.
    public let topic: String
    /// The payload bytes, copied out of libmosquitto's buffer.
    public let payload: [UInt8]
    /// The QoS it was delivered with.
    public let qos: QoS
    /// Whether it came from the broker's retained store (a late subscriber's first view)
    /// rather than live.
    public let retain: Bool
    /// Its message id (meaningful for QoS 1 and 2 only).
    public let messageID: MessageID

    /// Creates a message (for tests and fakes).
    public init(topic: String, payload: [UInt8], qos: QoS = .atMostOnce, retain: Bool = false, messageID: MessageID = MessageID(rawValue: 0)) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.messageID = messageID
    }

    /// The payload decoded as UTF-8 (invalid sequences repaired).
    public var text: String { String(decoding: payload, as: UTF8.self) }
}

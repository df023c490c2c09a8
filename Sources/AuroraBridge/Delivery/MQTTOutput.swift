import Mosquitto

/// Where the bridge's MQTT messages go: a ``MosquittoClient`` in the daemon, an in-memory
/// output in tests.
///
/// The contract is libmosquitto's: ``publish(topic:payload:qos:retain:)`` returns the message's
/// id at once, and the outcome arrives later on the event stream as
/// ``MosquittoEvent/published(_:)`` or ``MosquittoEvent/publishRejected(_:_:)`` with that id.
/// Ids are 16-bit and reused once their exchange completes.
public protocol MQTTOutput: AnyObject, Sendable {
    /// Hands a message over for sending and returns its id; QoS ≥ 1 messages published while
    /// disconnected are queued and sent after the reconnect.
    func publish(topic: String, payload: [UInt8], qos: QoS, retain: Bool) throws(MosquittoError) -> MessageID
    /// Whether the broker has accepted the connection and it has not been lost since.
    var isConnected: Bool { get }
    /// A new stream of everything that happens from now on (connects, acknowledgements, ...).
    func events(bufferingPolicy: AsyncStream<MosquittoEvent>.Continuation.BufferingPolicy) -> AsyncStream<MosquittoEvent>
}

extension MQTTOutput {
    /// Publishes UTF-8 `text`; see ``publish(topic:payload:qos:retain:)``.
    @discardableResult
    public func send(topic: String, text: String, qos: QoS, retain: Bool) throws(MosquittoError) -> MessageID {
        try publish(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }
}

extension MosquittoClient: MQTTOutput {}

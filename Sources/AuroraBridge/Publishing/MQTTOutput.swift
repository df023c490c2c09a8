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

/// An ``MQTTOutput`` the bridge also subscribes with, watches and disconnects: the
/// ``BrokerSession``'s ``MosquittoClient`` in the daemon, an in-memory connection in tests.
public protocol MQTTConnection: MQTTOutput {
    /// Subscribes to `filter` now if connected, and again after every reconnect that lost the
    /// session; returns the SUBSCRIBE's id, or nil while disconnected.
    @discardableResult
    func subscribe(_ filter: String, qos: QoS) throws(MosquittoError) -> MessageID?
    /// Unsubscribes from `filter` and stops renewing it; returns the UNSUBSCRIBE's id, or nil
    /// while disconnected.
    @discardableResult
    func unsubscribe(_ filter: String) throws(MosquittoError) -> MessageID?
    /// Disconnects cleanly (the broker discards the will) and ends every event stream.
    func disconnect() async
    /// The network thread's state and how long the connection has been down, for the watchdog.
    var health: MosquittoHealth { get }
}

extension MosquittoClient: MQTTConnection {}

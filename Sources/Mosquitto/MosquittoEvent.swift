/// Something that happened on the connection, as seen by libmosquitto's callbacks.
///
/// Delivered through ``MosquittoClient/events(bufferingPolicy:)``, in the order the callbacks ran.
public enum MosquittoEvent: Sendable, Equatable {
    /// The broker accepted the connection (first connect or any reconnect).
    /// From `mosquitto_connect_v5_callback_set` with a success code.
    case connected(ConnectionAcknowledgement)
    /// The broker answered CONNACK with a refusal (e.g. bad credentials); the error's
    /// ``MosquittoError/reasonCode`` says why. The client keeps retrying with back-off, under
    /// every protocol version; ``ConnectionProblemFilter`` says which refusals to log.
    case connectionRefused(MosquittoError)
    /// The connection ended. From `mosquitto_disconnect_v5_callback_set`.
    case disconnected(DisconnectReason)
    /// An outgoing message is done: PUBACK received (QoS 1), PUBCOMP received (QoS 2), or
    /// written to the socket (QoS 0). From `mosquitto_publish_v5_callback_set`.
    case published(MessageID)
    /// An MQTT 5 broker acknowledged an outgoing QoS 1/2 message with a failure reason
    /// (e.g. not authorised); it will not be delivered.
    case publishRejected(MessageID, ReasonCode)
    /// A message arrived on a subscribed topic. From `mosquitto_message_v5_callback_set`.
    case message(MosquittoMessage)
    /// The broker acknowledged a SUBSCRIBE (SUBACK). `grantedQoS` has one entry per filter;
    /// `nil` means the broker refused that filter. From `mosquitto_subscribe_v5_callback_set`.
    case subscribed(MessageID, grantedQoS: [QoS?])
    /// The broker acknowledged an UNSUBSCRIBE. From `mosquitto_unsubscribe_v5_callback_set`.
    case unsubscribed(MessageID)
}

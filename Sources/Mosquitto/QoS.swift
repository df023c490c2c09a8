/// The MQTT quality of service: the delivery guarantee of a message or subscription.
public enum QoS: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// QoS 0: sent once, never acknowledged; lost if the connection is down.
    case atMostOnce = 0
    /// QoS 1: acknowledged by PUBACK; may be delivered more than once.
    case atLeastOnce = 1
    /// QoS 2: four-way handshake ending in PUBCOMP; delivered exactly once.
    case exactlyOnce = 2

    public var description: String { "QoS \(rawValue)" }

    var cValue: Int32 { Int32(rawValue) }
}

/// Why the connection to the broker ended.
public enum DisconnectReason: Sendable, Equatable, CustomStringConvertible {
    /// ``MosquittoClient/disconnect()`` was called; the will was discarded.
    case requested
    /// The connection broke (broker gone, network, keep-alive, refused, or the broker closed
    /// it, e.g. MQTT 5 "session taken over"). The client reconnects by itself.
    case unexpected(MosquittoError)

    public var description: String {
        switch self {
        case .requested: "disconnected on request"
        case .unexpected(let error): "connection lost: \(error)"
        }
    }
}

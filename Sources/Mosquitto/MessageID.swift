/// The identifier libmosquitto assigns to an outgoing PUBLISH, SUBSCRIBE or UNSUBSCRIBE
/// (the `mid`), used to match the broker's acknowledgement (``MosquittoEvent/published(_:)``,
/// ``MosquittoEvent/subscribed(_:grantedQoS:)``) to the request.
///
/// Identifiers are reused once their exchange completes, so match them only against
/// requests that are still outstanding.
public struct MessageID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric message id (1…65535 for QoS 1 and 2).
    public let rawValue: Int

    /// Creates an id from its numeric value.
    public init(rawValue: Int) { self.rawValue = rawValue }

    init(_ cValue: Int32) { self.rawValue = Int(cValue) }

    public var description: String { "mid \(rawValue)" }
}

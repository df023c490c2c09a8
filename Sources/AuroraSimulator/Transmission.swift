/// What a server writes in answer to one request: bytes, after a delay.
public struct Transmission: Sendable, Hashable {
    /// The bytes to write: normally an 8-byte reply frame, but faults may add or remove bytes.
    public let bytes: [UInt8]
    /// How long to wait before writing them.
    public let delay: Duration
}

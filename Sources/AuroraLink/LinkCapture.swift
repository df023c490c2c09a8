/// Receives every byte a ``Link`` writes and reads, for a capture of the bus (see ``CaptureFile``).
///
/// A link calls it from its own thread only, in wire order: ``sent(_:at:)`` for each request
/// written, ``received(_:at:)`` for each chunk read (as it arrives), and ``judged(_:)`` once the
/// link has decided what the chunks received since the last verdict were.
public protocol LinkCapture: AnyObject, Sendable {
    /// `bytes` were written at `time`.
    func sent(_ bytes: [UInt8], at time: ContinuousClock.Instant)
    /// `bytes` arrived at `time`.
    func received(_ bytes: [UInt8], at time: ContinuousClock.Instant)
    /// What the link made of the bytes received since the last verdict.
    func judged(_ verdict: CaptureVerdict)
}

/// What a ``Link`` made of received bytes.
public enum CaptureVerdict: String, Sendable, CaseIterable {
    /// Decoded as the reply to the request just sent.
    case accepted
    /// A whole reply behind stray bytes: decoded, the stream suspect.
    case acceptedAfterStray = "accepted-after-stray"
    /// A known answer that proved the link realigned (thrown away as a reply).
    case proof
    /// Not a valid frame: bad CRC or stray bytes.
    case crc
    /// Fewer than 8 bytes before the read timeout.
    case short
    /// Valid frames that cannot be the reply (more than one, another item's answer, late replies).
    case unplaced
    /// Found waiting before a request and thrown away.
    case flushed

    /// Whether the link decoded the bytes as a reply.
    public var isAccepted: Bool { self == .accepted || self == .acceptedAfterStray }
}

/// A reply frame from an inverter: six payload bytes and their CRC.
///
/// Creating a `Response` checks the length and the CRC only. Use ``checked(for:)`` before reading
/// data: it refuses any reply whose transmission state is not 0.
public struct Response: Sendable, Hashable, CustomStringConvertible {
    /// The length of every reply frame on the wire.
    public static let length = 8

    /// Bytes 0–5 of the frame (without the CRC).
    public let payload: [UInt8]

    /// Decodes an 8-byte reply frame.
    /// - Throws: ``FrameError`` if the frame is not 8 bytes or its CRC is wrong.
    @inlinable
    public init(frame: some Collection<UInt8>) throws(FrameError) {
        guard frame.count == Self.length else {
            throw .wrongLength(expected: Self.length, received: frame.count)
        }
        guard CRC16.isValid(frame: frame) else { throw .crcMismatch(frame: Array(frame)) }
        self.init(payload: Array(frame.prefix(6)))
    }

    /// A reply with the given six payload bytes (used by the simulator and by tests).
    public init(payload: [UInt8]) {
        precondition(payload.count == 6, "a reply carries exactly six payload bytes")
        self.payload = payload
    }

    /// A reply carrying the two state bytes and four data bytes.
    public init(transmissionState: UInt8 = 0, globalState: UInt8, data: [UInt8]) {
        self.init(payload: [transmissionState, globalState] + data)
    }

    /// The eight bytes on the wire: payload and CRC, low byte first.
    public var bytes: [UInt8] { CRC16.appending(to: payload) }

    /// Byte 0: the transmission state (meaningful for commands other than 52 and 63).
    public var transmissionState: TransmissionState { TransmissionState(code: payload[0]) }

    /// Byte 1: the global state (meaningful for commands other than 52 and 63).
    public var globalState: GlobalState { GlobalState(code: payload[1]) }

    /// Bytes 2–5 as a big-endian IEEE-754 single-precision float.
    public var float: Float { Float(bitPattern: uint32) }

    /// Bytes 2–5 as a big-endian unsigned 32-bit integer.
    public var uint32: UInt32 {
        payload[2...5].reduce(0) { ($0 << 8) | UInt32($1) }
    }

    /// Bytes 2–5 as text (non-ASCII bytes become U+FFFD).
    public var dataText: String { Self.text(payload[2...5]) }

    /// Bytes 0–5 as text, for commands 52 and 63 (non-ASCII bytes become U+FFFD).
    public var fullText: String { Self.text(payload[...]) }

    /// This reply, if it may be decoded as an answer to `command`.
    /// - Throws: ``TransmissionError`` if the transmission state is not 0; its
    ///   ``TransmissionError/isNotSupported`` tells whether the model lacks the item.
    public func checked(for command: Command) throws(TransmissionError) -> Response {
        guard command.replyHasStateBytes else { return self }
        let state = transmissionState
        guard state.isOK else { throw TransmissionError(command: command, state: state) }
        return self
    }

    public var description: String { bytes.hexString }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(bytes.map { $0 < 0x80 ? Character(Unicode.Scalar($0)) : "\u{FFFD}" })
        while let last = text.last, last == "\0" || last == " " { text.removeLast() }
        return text
    }
}

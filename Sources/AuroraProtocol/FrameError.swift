/// Why a frame could not be used. Every case says what went wrong on the wire.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame has the wrong number of bytes.
    case wrongLength(expected: Int, received: Int)
    /// The frame's last two bytes are not the CRC of the others.
    case crcMismatch(frame: [UInt8])
    /// A request names a command this implementation does not know.
    case unknownCommand(UInt8)

    public var description: String {
        switch self {
        case .wrongLength(let expected, let received):
            "short frame: expected \(expected) bytes, received \(received)"
        case .crcMismatch(let frame):
            "CRC mismatch in frame \(frame.hexString)"
        case .unknownCommand(let code):
            "unknown command code \(code)"
        }
    }
}

extension Collection<UInt8> {
    /// The bytes as space-separated upper-case hex pairs, e.g. `02 32 00`.
    public var hexString: String {
        map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }
}

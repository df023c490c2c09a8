/// CRC-16/X-25 (also known as CRC-16/IBM-SDLC): the checksum that protects every Aurora frame.
///
/// Reflected polynomial 0x8408, initial value 0xFFFF, final XOR 0xFFFF. On the wire the low byte
/// comes first. The check value of the ASCII string "123456789" is 0x906E.
///
/// The generic functions are `@inlinable` so that callers in other modules get them specialised
/// for their concrete byte collections: unspecialised, checking each reply cost the link more CPU
/// (runtime generic metadata look-ups) than its system calls.
public enum CRC16 {
    @usableFromInline static let table: [UInt16] = (0...255).map { index in
        var register = UInt16(index)
        for _ in 0..<8 {
            register = register & 1 == 1 ? (register >> 1) ^ 0x8408 : register >> 1
        }
        return register
    }

    /// The CRC-16/X-25 of `bytes`.
    @inlinable
    public static func x25<Bytes: Sequence>(_ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
        var register: UInt16 = 0xFFFF
        for byte in bytes {
            register = (register >> 8) ^ table[Int((register ^ UInt16(byte)) & 0xFF)]
        }
        return ~register
    }

    /// `bytes` followed by their CRC, low byte first: a frame ready for the wire.
    public static func appending(to bytes: [UInt8]) -> [UInt8] {
        let crc = x25(bytes)
        return bytes + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }

    /// Whether the last two bytes of `frame` are the CRC (low byte first) of the bytes before them.
    @inlinable
    public static func isValid(frame: some Collection<UInt8>) -> Bool {
        guard frame.count > 2 else { return false }
        let body = frame.dropLast(2)
        let crc = x25(body)
        let low = frame[frame.index(frame.endIndex, offsetBy: -2)]
        let high = frame[frame.index(frame.endIndex, offsetBy: -1)]
        return low == UInt8(crc & 0xFF) && high == UInt8(crc >> 8)
    }
}

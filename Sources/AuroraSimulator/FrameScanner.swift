import AuroraProtocol

/// Cuts a byte stream into 10-byte request frames the way a real inverter listens: a window
/// whose CRC is wrong is garbage, so one byte is dropped and the search goes on from the next.
struct FrameScanner: Sendable {
    private var buffer: [UInt8] = []

    /// How many bytes were thrown away while resynchronising.
    private(set) var discardedByteCount = 0

    /// Adds received bytes.
    mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete frame with a valid CRC, or nil until more bytes arrive.
    mutating func nextFrame() -> [UInt8]? {
        var start = 0
        defer {
            buffer.removeFirst(start)
        }
        while buffer.count - start >= Request.length {
            let window = Array(buffer[start..<(start + Request.length)])
            if CRC16.isValid(frame: window) {
                start += Request.length
                return window
            }
            start += 1
            discardedByteCount += 1
        }
        return nil
    }
}

import AuroraProtocol

/// Cuts a received byte stream into 8-byte reply frames: a window whose CRC is wrong cannot start
/// a frame, so its first byte is counted as stray and the search goes on from the next byte.
///
/// Pure and total: any byte sequence is accepted (it never traps), which is what a fuzz target
/// feeds it. A ``Link`` uses it to tell a clean reply from stray bytes, cut-off frames and
/// frames beyond the one it asked for.
public struct ReplyScanner: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    /// Bytes skipped so far because no valid frame started at them.
    public private(set) var strayByteCount = 0

    /// An empty scanner.
    public init() {}

    /// Bytes received but not yet part of a returned frame or counted as stray: the start of a
    /// frame that may still be completed.
    public var pendingByteCount: Int { buffer.count - start }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next frame with a valid CRC, or nil until more bytes arrive.
    public mutating func nextFrame() -> Response? {
        while buffer.count - start >= Response.length {
            let window = buffer[start..<(start + Response.length)]
            if CRC16.isValid(frame: window) {
                start += Response.length
                return try? Response(frame: window)
            }
            start += 1
            strayByteCount += 1
        }
        return nil
    }

    /// Every frame in `bytes` and what else was there: stray bytes skipped and an unfinished tail.
    public static func scan(_ bytes: some Sequence<UInt8>) -> (frames: [Response], strayBytes: Int, pendingBytes: Int) {
        var scanner = ReplyScanner()
        scanner.append(bytes)
        var frames: [Response] = []
        while let frame = scanner.nextFrame() { frames.append(frame) }
        return (frames, scanner.strayByteCount, scanner.pendingByteCount)
    }
}

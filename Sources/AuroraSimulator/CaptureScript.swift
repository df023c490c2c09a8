import Foundation

/// A bus capture written by `aurora-bridge --capture` (JSON lines; see `docs/troubleshooting.md`),
/// read as the script of a replay: each request sent, and what came back after it.
public struct CaptureScript: Sendable, Hashable {
    /// One request and the bytes received after it, until the next request.
    public struct Exchange: Sendable, Hashable {
        /// The request bytes as written.
        public var request: [UInt8]
        /// Each chunk received after the request, with its delay from the request.
        public var replies: [Reply]
    }

    /// Bytes received some time after a request.
    public struct Reply: Sendable, Hashable {
        /// How long after the request they arrived.
        public var delay: Duration
        /// The bytes, as received (garbage included).
        public var bytes: [UInt8]
    }

    /// The requests in the order they were sent.
    public var exchanges: [Exchange]

    /// Parses the capture `text`; the header and bytes received before the first request are skipped.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` naming the first line that is no capture line.
    public init(text: String) throws(SimulatorError) {
        exchanges = []
        var requestTime = 0.0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw .invalidSetting("capture line \(index + 1) is not a JSON object")
            }
            if object["capture"] != nil { continue }
            guard let time = object["t"] as? Double, let direction = object["dir"] as? String,
                  let hex = object["hex"] as? String, let bytes = Self.bytes(hex: hex) else {
                throw .invalidSetting("capture line \(index + 1) lacks \"t\", \"dir\" or a valid \"hex\"")
            }
            switch direction {
            case "tx":
                exchanges.append(Exchange(request: bytes, replies: []))
                requestTime = time
            case "rx":
                guard !exchanges.isEmpty else { continue }
                let delay = Duration.microseconds(Int64(max(0, time - requestTime) * 1_000_000))
                exchanges[exchanges.count - 1].replies.append(Reply(delay: delay, bytes: bytes))
            default:
                throw .invalidSetting("capture line \(index + 1): \"dir\" is \"\(direction)\", not \"tx\" or \"rx\"")
            }
        }
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }
}

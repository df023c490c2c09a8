import Foundation
import Logging
import Synchronization

/// A capture of a bus as JSON lines, size-bounded: every frame a ``Link`` sent and received.
///
/// The first line is a header: `{"capture":"aurora-bridge","version":…,"port":…,"baud":…,"started":…}`.
/// Every other line is one write or one read chunk, in wire order:
/// `{"t":1.234567,"dir":"tx","hex":"023200000000000000ab"}` and
/// `{"t":1.251234,"dir":"rx","hex":"0006…","accepted":false,"reason":"crc"}` where `t` is
/// monotonic seconds since the capture started and `reason` a ``CaptureVerdict`` (only when
/// not accepted). When the file reaches its size limit, capturing stops and one warning is logged.
public final class CaptureFile: LinkCapture {
    private struct State {
        var handle: FileHandle?
        var written: Int
        /// Chunks received and not judged yet, with their time.
        var pending: [(bytes: [UInt8], time: ContinuousClock.Instant)] = []
    }

    private let start: ContinuousClock.Instant
    private let limit: Int
    private let path: String
    private let logger: Logger
    private let state: Mutex<State>

    /// Creates (or truncates) the file at `path` and writes the header.
    /// - Parameters:
    ///   - version: the bridge's version (AuroraLink cannot ask the bridge).
    ///   - port: the bus port, for the header.
    ///   - baudRate: the serial speed, for the header.
    ///   - limit: the most bytes to write; capturing stops before a line would pass it.
    /// - Throws: ``CaptureError`` if the file cannot be created.
    public init(path: String, version: String, port: String, baudRate: Int, limit: Int = 50_000_000, logger: Logger = Logger(label: "aurora.capture")) throws(CaptureError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw .cannotCreate(path)
        }
        self.start = .now
        self.limit = limit
        self.path = path
        self.logger = logger
        let started = ISO8601DateFormatter().string(from: Date())
        let header = "{\"capture\":\"aurora-bridge\",\"version\":\(Self.quoted(version)),\"port\":\(Self.quoted(port)),\"baud\":\(baudRate),\"started\":\"\(started)\"}\n"
        handle.write(Data(header.utf8))
        self.state = Mutex(State(handle: handle, written: header.utf8.count))
    }

    public func sent(_ bytes: [UInt8], at time: ContinuousClock.Instant) {
        state.withLock { state in
            flushPending(&state, as: .flushed)
            write(line(time, "tx", bytes, verdict: nil), &state)
        }
    }

    public func received(_ bytes: [UInt8], at time: ContinuousClock.Instant) {
        state.withLock { $0.pending.append((bytes, time)) }
    }

    public func judged(_ verdict: CaptureVerdict) {
        state.withLock { flushPending(&$0, as: verdict) }
    }

    /// Writes what is pending and closes the file.
    public func close() {
        state.withLock { state in
            flushPending(&state, as: .flushed)
            try? state.handle?.close()
            state.handle = nil
        }
    }

    private func flushPending(_ state: inout State, as verdict: CaptureVerdict) {
        let pending = state.pending
        state.pending.removeAll()
        for chunk in pending { write(line(chunk.time, "rx", chunk.bytes, verdict: verdict), &state) }
    }

    private func line(_ time: ContinuousClock.Instant, _ direction: String, _ bytes: [UInt8], verdict: CaptureVerdict?) -> String {
        let (seconds, attoseconds) = start.duration(to: time).components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let t = "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - String(micros % 1_000_000).count))\(micros % 1_000_000)"
        var text = "{\"t\":\(t),\"dir\":\"\(direction)\",\"hex\":\"\(Self.hex(bytes))\""
        if let verdict {
            text += verdict.isAccepted ? ",\"accepted\":true" : ",\"accepted\":false,\"reason\":\"\(verdict.rawValue)\""
        }
        return text + "}\n"
    }

    private func write(_ line: String, _ state: inout State) {
        guard let handle = state.handle else { return }
        let size = line.utf8.count
        guard state.written + size <= limit else {
            logger.warning("capture file is full; capturing stopped", metadata: ["path": "\(path)", "limit": "\(limit)"])
            try? handle.close()
            state.handle = nil
            return
        }
        handle.write(Data(line.utf8))
        state.written += size
    }

    /// `bytes` as lower-case hex digits without separators.
    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    private static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}

/// Why a capture could not be started.
public enum CaptureError: Error, Sendable, CustomStringConvertible {
    /// The capture file could not be created.
    case cannotCreate(String)

    public var description: String {
        switch self {
        case .cannotCreate(let path): "cannot create the capture file \(path); check the directory exists and is writable"
        }
    }
}

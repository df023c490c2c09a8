import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection to a loopback port driven byte by byte, for the requests no polite client
/// sends (half a header, 9 KiB of header, a byte a second) and for watching when the server
/// closes it; and, for the bench, plain requests of the status server. Blocking calls run on
/// threads of their own (``Blocking``).
public final class RawConnection: Sendable {
    /// A socket call failed, or the server did not close or answer as expected.
    public struct Failure: Error, CustomStringConvertible {
        /// What happened.
        public let description: String
    }

    private let descriptor: Int32

    /// Connects to 127.0.0.1:`port`.
    public init(port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            let error = errno
            close(descriptor)
            throw Failure(description: "connect to port \(port): errno \(error)")
        }
    }

    deinit { close(descriptor) }

    /// Writes `text`; false when the server has already closed the connection.
    @discardableResult
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            var sent = 0
            while sent < buffer.count {
                let written = Glibc.send(descriptor, base + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                guard written > 0 else { return false }
                sent += written
            }
            return true
        }
    }

    /// Everything the server sends until it closes the connection (or resets it).
    /// - Throws: ``Failure`` when it is still open after `timeout`.
    public func readUntilClosed(timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        let descriptor = descriptor
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return try await Blocking.run {
            var received: [UInt8] = []
            let end = ContinuousClock.now + .milliseconds(milliseconds)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let left = end - ContinuousClock.now
                guard left > .zero else { throw Failure(description: "still open after \(timeout); received \(received.count) bytes") }
                var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let wait = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000) + 1
                guard poll(&entry, 1, wait) >= 0 || errno == EINTR else { throw Failure(description: "poll: errno \(errno)") }
                guard entry.revents != 0 else { continue }
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count > 0 {
                    received += buffer[..<count]
                } else {
                    return received  // 0: closed; -1: reset
                }
            }
        }
    }

    /// The answer of a server that closes after one response (`Connection: close`).
    public func response(timeout: Duration = .seconds(10)) async throws -> RawResponse {
        try RawResponse(try await readUntilClosed(timeout: timeout))
    }
}

/// A whole HTTP/1.1 response read off a ``RawConnection``: status, headers, body.
public struct RawResponse: Sendable {
    /// The status code.
    public let status: Int
    /// The headers, names lowercased.
    public let headers: [String: String]
    /// The body as text.
    public let body: String

    /// Reads `bytes`, a whole response.
    public init(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else {
            throw RawConnection.Failure(description: "no complete response head in \(text.debugDescription)")
        }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = lines.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw RawConnection.Failure(description: "no status line in \(text.debugDescription)")
        }
        self.status = status
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        body = String(text[split.upperBound...])
    }

    /// Sends `method path` with `headers` on a new connection and reads the answer.
    public static func request(
        _ method: String = "GET", _ path: String, port: UInt16, headers: [String: String] = [:]
    ) async throws -> RawResponse {
        let connection = try RawConnection(port: port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        connection.send(head + "\r\n")
        return try await connection.response()
    }
}

import AuroraProtocol
import Foundation

/// Why a ``RawPort`` operation failed.
enum RawPortError: Error, CustomStringConvertible {
    /// A system call failed.
    case system(String, errno: Int32)
    /// Fewer bytes than expected arrived before the deadline.
    case timeout(expected: Int, received: [UInt8])
    /// The other side hung up (pseudo-terminal closed, connection reset).
    case hangUp

    var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: errno \(code)"
        case .timeout(let expected, let received): "expected \(expected) bytes, received [\(received.hexString)] before the deadline"
        case .hangUp: "the other side hung up"
        }
    }
}

/// The simplest possible client for tests: a serial port opened with open(2) in raw mode, or a
/// TCP connection, read with poll and a deadline. Its calls block: use it inside `Blocking.run`.
final class RawPort: Sendable {
    let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Opens `path` as a raw 8N1 serial port.
    static func openSerial(_ path: String) throws -> RawPort {
        let descriptor = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw RawPortError.system("open(\(path))", errno: errno) }
        var attributes = termios()
        guard tcgetattr(descriptor, &attributes) == 0 else {
            _ = Glibc.close(descriptor)
            throw RawPortError.system("tcgetattr", errno: errno)
        }
        cfmakeraw(&attributes)
        cfsetspeed(&attributes, speed_t(B19200))
        guard tcsetattr(descriptor, TCSANOW, &attributes) == 0 else {
            _ = Glibc.close(descriptor)
            throw RawPortError.system("tcsetattr", errno: errno)
        }
        return RawPort(descriptor: descriptor)
    }

    /// Connects to 127.0.0.1:`port`.
    static func connect(port: UInt16) throws -> RawPort {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw RawPortError.system("socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            _ = Glibc.close(descriptor)
            throw RawPortError.system("connect", errno: errno)
        }
        return RawPort(descriptor: descriptor)
    }

    /// Writes all of `bytes`.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw RawPortError.system("write", errno: errno)
            }
            offset += written
        }
    }

    /// Exactly `count` bytes, waiting at most `timeout` for all of them.
    func receive(_ count: Int, timeout: Duration = .seconds(2)) throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        while received.count < count {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw RawPortError.timeout(expected: count, received: received) }
            var state = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000) + 1
            let ready = poll(&state, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: count - received.count)
            let length = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if length > 0 {
                received += buffer.prefix(length)
            } else if length == 0 || (errno != EAGAIN && errno != EINTR) {
                throw RawPortError.hangUp
            }
        }
        return received
    }

    /// Sends `request` and returns the 8-byte reply.
    func exchange(_ request: Request, timeout: Duration = .seconds(2)) throws -> [UInt8] {
        try send(request.bytes)
        return try receive(Response.length, timeout: timeout)
    }

    /// Whether nothing at all arrives within `window` (a silent inverter).
    func staysSilent(for window: Duration) throws -> Bool {
        do {
            _ = try receive(1, timeout: window)
            return false
        } catch RawPortError.timeout {
            return true
        }
    }

    /// Whether the other side hangs up within `timeout`: poll reports POLLHUP/POLLERR or a read fails.
    func hangsUp(within timeout: Duration) -> Bool {
        var state = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&state, 1, milliseconds) > 0 else { return false }
        if state.revents & Int16(POLLHUP | POLLERR) != 0 { return true }
        var byte: UInt8 = 0
        return read(descriptor, &byte, 1) <= 0 && errno != EAGAIN
    }

    /// Closes the descriptor.
    func close() { _ = Glibc.close(descriptor) }
}

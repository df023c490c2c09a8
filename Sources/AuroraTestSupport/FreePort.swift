#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds loopback TCP ports that nothing listens on, for brokers and simulators started by tests.
public enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it for a socket
    /// bound to port 0, which is then closed).
    public static func loopback() -> UInt16 {
        let (fd, port) = boundSocket()
        close(fd)
        return port
    }

    /// A TCP socket bound to a free loopback port chosen by the kernel, and that port; with
    /// `reuseAddress`, the socket has `SO_REUSEADDR` set first. Close-on-exec, so children that
    /// tests spawn (brokers, simulators) do not keep it open.
    static func boundSocket(reuseAddress: Bool = false) -> (descriptor: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(fd >= 0, "socket() failed: errno \(errno)")
        if reuseAddress {
            var yes: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        precondition(bound, "bind() to a loopback port failed: errno \(errno)")
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}

/// A loopback TCP port that refuses connections for as long as the value lives: a socket is bound
/// to it but never listens, so nobody else can take the port and a client cannot connect to
/// itself on it (which an unbound free port occasionally allows).
public final class RefusingPort: Sendable {
    /// The port number.
    public let port: UInt16
    private let descriptor: Int32

    /// Binds a socket to a free loopback port without listening.
    public init() {
        (descriptor, port) = FreePort.boundSocket()
    }

    deinit { close(descriptor) }
}

/// A free loopback port held for a server that binds with `SO_REUSEADDR` (mosquitto does), for as
/// long as the value lives: a socket with `SO_REUSEADDR` is bound to it but never listens. So
/// connections are refused while the server is down, no probe by another test (``FreePort``, or a
/// client's ephemeral port) can take the port between a stop and a restart, and the server can
/// still bind and listen on it.
public final class ReservedPort: Sendable {
    /// The port number.
    public let port: UInt16
    private let descriptor: Int32

    /// Binds a socket with `SO_REUSEADDR` to a free loopback port without listening.
    public init() {
        (descriptor, port) = FreePort.boundSocket(reuseAddress: true)
    }

    deinit { close(descriptor) }
}

/// Where an inverter bus is reached: a serial device or an RS485-to-Ethernet adapter over TCP.
public enum PortAddress: Sendable, Hashable, CustomStringConvertible {
    /// A serial device path such as `/dev/ttyUSB0` or `/dev/serial/by-id/usb-FTDI_…-if00-port0`.
    case serial(path: String)
    /// A TCP endpoint, written `tcp://host:port`.
    case tcp(host: String, port: UInt16)

    /// Parses `tcp://host:port` (IPv6 hosts in brackets) or a device path.
    /// - Throws: ``LinkError/invalidPort(_:reason:)`` with what is wrong.
    public init(parsing text: String) throws(LinkError) {
        guard text.hasPrefix("tcp://") else {
            guard !text.isEmpty else { throw .invalidPort(text, reason: "the port is empty") }
            self = .serial(path: text)
            return
        }
        let rest = text.dropFirst("tcp://".count)
        guard let colon = rest.lastIndex(of: ":") else {
            throw .invalidPort(text, reason: "expected tcp://HOST:PORT, e.g. tcp://192.0.2.10:8899")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidPort(text, reason: "the host is empty") }
        guard let port = UInt16(rest[rest.index(after: colon)...]), port > 0 else {
            throw .invalidPort(text, reason: "the TCP port must be a number from 1 to 65535")
        }
        self = .tcp(host: host, port: port)
    }

    public var description: String {
        switch self {
        case .serial(let path): path
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        }
    }
}

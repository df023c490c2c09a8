/// Where an inverter bus is reached: a serial device or an RS485-to-Ethernet adapter over TCP.
public enum PortAddress: Sendable, Hashable, CustomStringConvertible {
    /// A serial device path such as `/dev/ttyUSB0` or `/dev/serial/by-id/usb-FTDI_…-if00-port0`.
    case serial(path: String)
    /// A TCP endpoint, written `tcp://host:port`.
    case tcp(host: String, port: UInt16)

    /// Parses a device path (absolute, e.g. `/dev/ttyUSB0`) or `tcp://host:port`
    /// (`tcp://[fd00::5]:8899` for IPv6).
    /// - Throws: ``LinkError/invalidPort(_:reason:)`` saying what is wrong and what is allowed.
    public init(parsing text: String) throws(LinkError) {
        let scheme = "tcp://"
        let quoted = "\"\(text)\""
        guard text.lowercased().hasPrefix(scheme) else {
            if text.contains("://") {
                throw .invalidPort(text, reason: "only tcp:// adapters and device paths are supported, got \(quoted)")
            }
            guard text.hasPrefix("/") && text.count > 1 else {
                throw .invalidPort(text, reason: "expected a device path such as \"/dev/ttyUSB0\" or \"tcp://host:port\", got \(quoted)")
            }
            self = .serial(path: text)
            return
        }
        let rest = text.dropFirst(scheme.count)
        let form = "expected tcp://host:port with a port from 1 to 65535, e.g. \"tcp://192.168.1.50:8899\""
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                throw .invalidPort(text, reason: "\(form), got \(quoted)")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            portText = rest[rest.index(close, offsetBy: 2)...]
        } else {
            guard let colon = rest.lastIndex(of: ":") else {
                throw .invalidPort(text, reason: "\(form); the port is missing in \(quoted)")
            }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        let hostIsValid = !host.isEmpty && !host.contains("/") && !host.contains(" ")
            && (rest.hasPrefix("[") || !host.contains(":"))
        let portIsDigits = !portText.isEmpty && portText.allSatisfy { ("0"..."9").contains($0) }
        guard hostIsValid, portIsDigits, let port = UInt16(portText), port > 0 else {
            throw .invalidPort(text, reason: "\(form), got \(quoted)")
        }
        self = .tcp(host: String(host), port: port)
    }

    public var description: String {
        switch self {
        case .serial(let path): path
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        }
    }
}

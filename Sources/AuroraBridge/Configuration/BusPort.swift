/// Where the RS485 bus is reached: a serial device, or an RS485-to-Ethernet adapter over TCP.
public enum BusPort: Sendable, Equatable, CustomStringConvertible {
    /// A serial device such as `/dev/ttyUSB0` or `/dev/serial/by-id/…` (an absolute path).
    case serial(path: String)
    /// A TCP adapter, written `tcp://host:port` (`tcp://[fd00::5]:8899` for IPv6).
    case tcp(host: String, port: Int)

    /// As written in `bridge.conf`.
    public var description: String {
        switch self {
        case .serial(let path): path
        case .tcp(let host, let port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        }
    }

    /// Why a text is not a bus port.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong and what is allowed.
        public var description: String
    }

    /// Parses a device path or `tcp://host:port`.
    public init(_ text: String) throws(ParseError) {
        let scheme = "tcp://"
        if text.lowercased().hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let form = "expected tcp://host:port with a port from 1 to 65535, e.g. \"tcp://192.168.1.50:8899\""
            let host: Substring
            let portText: Substring
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                    throw ParseError(description: "\(form), got \(TOMLText.quoted(text))")
                }
                host = rest[rest.index(after: rest.startIndex)..<close]
                portText = rest[rest.index(close, offsetBy: 2)...]
            } else {
                guard let colon = rest.lastIndex(of: ":") else {
                    throw ParseError(description: "\(form); the port is missing in \(TOMLText.quoted(text))")
                }
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            }
            let hostIsValid = !host.isEmpty && !host.contains("/") && !host.contains(" ")
                && (rest.hasPrefix("[") || !host.contains(":"))
            guard hostIsValid, let port = Int(portText), (1...65535).contains(port), portText.allSatisfy(\.isASCII) else {
                throw ParseError(description: "\(form), got \(TOMLText.quoted(text))")
            }
            self = .tcp(host: String(host), port: port)
        } else if text.contains("://") {
            throw ParseError(
                description: "only tcp:// adapters and device paths are supported, got \(TOMLText.quoted(text))")
        } else if text.hasPrefix("/") && text.count > 1 {
            self = .serial(path: text)
        } else {
            throw ParseError(
                description: "expected a device path such as \"/dev/ttyUSB0\" or \"tcp://host:port\", "
                    + "got \(TOMLText.quoted(text))")
        }
    }
}

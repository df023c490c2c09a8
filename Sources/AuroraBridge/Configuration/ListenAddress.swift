import Glibc

/// Where the HTTP listener binds: an IP address and a TCP port, written `127.0.0.1:8480`,
/// `[::]:8480` (an IPv6 address in brackets) or `192.168.1.5:8480`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address to bind, without brackets: `127.0.0.1`, `::`.
    public var host: String
    /// The TCP port, 1 to 65535.
    public var port: Int

    /// The default: loopback only, port 8480.
    public static let loopback = Self(host: "127.0.0.1", port: 8480)

    private init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `address:port`; the address must be an IPv4 or IPv6 literal (no host names, which
    /// would depend on the resolver at start).
    public init(parsing text: String) throws(ListenAddressError) {
        let address: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ListenAddressError(reason: "an IPv6 address goes in brackets before the port, e.g. \"[::]:8480\"")
            }
            address = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard Self.parses(address, family: AF_INET6) else {
                throw ListenAddressError(reason: "\"\(address)\" is not an IPv6 address")
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ListenAddressError(reason: "the port is missing; write address:port, e.g. \"127.0.0.1:8480\"")
            }
            address = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !address.contains(":") else {
                throw ListenAddressError(reason: "an IPv6 address goes in brackets before the port, e.g. \"[::]:8480\"")
            }
            guard Self.parses(address, family: AF_INET) else {
                throw ListenAddressError(
                    reason: "\"\(address)\" is not an IPv4 address; write an address, not a host name (e.g. \"0.0.0.0:8480\" for every interface)")
            }
        }
        guard let port = Int(portText), (1...65535).contains(port), portText.allSatisfy(\.isASCII) else {
            throw ListenAddressError(reason: "the port must be an integer from 1 to 65535, got \"\(portText)\"")
        }
        self.init(host: String(address), port: port)
    }

    /// `127.0.0.1:8480`, `[::]:8480`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether `address` is an address of `family` as `inet_pton` reads it.
    private static func parses(_ address: Substring, family: Int32) -> Bool {
        var buffer = in6_addr()  // large enough for either family
        return inet_pton(family, String(address), &buffer) == 1
    }
}

/// A `listen` value that is not `address:port`.
public struct ListenAddressError: Error, CustomStringConvertible {
    /// What is wrong and how to write it.
    public let reason: String

    public var description: String { reason }
}

/// A string that parses as `address:port`.
extension ListenAddress: ConfigValue {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        parsed(key, in: table, &reader, ListenAddress.init(parsing:)) { $0.reason }
    }

    var toml: String { TOMLText.quoted(description) }
}

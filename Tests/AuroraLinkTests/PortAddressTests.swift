import AuroraLink
import Testing

@Suite("Parsing port addresses")
struct PortAddressTests {
    @Test(arguments: [
        ("/dev/ttyUSB0", PortAddress.serial(path: "/dev/ttyUSB0")),
        ("/dev/serial/by-id/usb-FTDI_FT232R_A10K-if00-port0", .serial(path: "/dev/serial/by-id/usb-FTDI_FT232R_A10K-if00-port0")),
        ("tcp://192.168.1.50:8899", .tcp(host: "192.168.1.50", port: 8899)),
        ("TCP://inverter.local:502", .tcp(host: "inverter.local", port: 502)),
        ("tcp://[fd00::5]:8899", .tcp(host: "fd00::5", port: 8899)),
        ("tcp://127.0.0.1:65535", .tcp(host: "127.0.0.1", port: 65535)),
    ])
    func validAddresses(text: String, expected: PortAddress) throws {
        #expect(try PortAddress(parsing: text) == expected)
    }

    @Test(arguments: [
        ("/dev/ttyUSB0", "/dev/ttyUSB0"),
        ("TCP://inverter.local:502", "tcp://inverter.local:502"),
        ("tcp://[fd00::5]:8899", "tcp://[fd00::5]:8899"),
    ])
    func descriptionsParseBackToTheSameAddress(text: String, description: String) throws {
        let address = try PortAddress(parsing: text)
        #expect(address.description == description)
        #expect(try PortAddress(parsing: address.description) == address)
    }

    @Test(arguments: [
        ("", "device path"),
        ("/", "device path"),
        ("ttyUSB0", "device path"),
        ("ftp://x", "only tcp://"),
        ("serial:///dev/ttyUSB0", "only tcp://"),
        ("tcp://host", "port is missing"),
        ("tcp://host:", "1 to 65535"),
        ("tcp://host:0", "1 to 65535"),
        ("tcp://host:65536", "1 to 65535"),
        ("tcp://host:+80", "1 to 65535"),
        ("tcp://host:80/", "1 to 65535"),
        ("tcp://:80", "tcp://host:port"),
        ("tcp://fd00::5:80", "tcp://host:port"),
        ("tcp://[fd00::5]8899", "tcp://host:port"),
        ("tcp://my host:80", "tcp://host:port"),
    ])
    func invalidAddressesSayWhatIsExpected(text: String, hint: String) {
        #expect {
            try PortAddress(parsing: text)
        } throws: { error in
            guard let error = error as? LinkError, case .invalidPort(let port, let reason) = error else { return false }
            return port == text && reason.contains(hint) && reason.contains("\"\(text)\"")
                && error.description.contains(reason)
        }
    }
}

import AuroraLink
extension BridgeConfiguration {
    /// `[bus]`: the RS485 bus the inverters share.
    public struct Bus: Sendable, Equatable {
        /// `port` (required): a serial device or `tcp://host:port`.
        public var port: PortAddress
        /// `baudrate`: the serial speed, one of 1200, 2400, 4800, 9600, 19200, 38400, 57600,
        /// 115200. Default 19200. Ignored for TCP adapters (they set their own).
        public var baudrate: Int
        /// `read_timeout`: how long to wait for a reply, seconds from 0.001 to 60. Default 2 s.
        public var readTimeout: Duration
        /// `command_delay`: a wait between writing a request and reading the reply, 0 or
        /// seconds from 0.001 to 10. Default 0 s.
        public var commandDelay: Duration
        /// `max_tries`: tries per request before giving up on it, 1 to 10. Default 3.
        public var maxTries: Int
        /// `probe_max`: the longest wait between probes of an inverter that stopped answering
        /// (asleep at night or unreachable); probes start at its poll interval and double up to
        /// this, seconds from 1 to 3600. Default 300 s.
        public var probeMax: Duration

        /// The standard rates `baudrate` may take.
        public static let baudrates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]

        /// A bus on `port`; the other parameters default to the documented defaults.
        public init(
            port: PortAddress, baudrate: Int = 19200, readTimeout: Duration = .seconds(2),
            commandDelay: Duration = .zero, maxTries: Int = 3, probeMax: Duration = .seconds(300)
        ) {
            self.port = port
            self.baudrate = baudrate
            self.readTimeout = readTimeout
            self.commandDelay = commandDelay
            self.maxTries = maxTries
            self.probeMax = probeMax
        }
    }
}

extension BridgeConfiguration.Bus {
    /// Reads `[bus]`; `nil` when `port` is missing or wrong (reported).
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        reader.checkKeys(table)
        let port = readPort(table, &reader)
        let baudrate = reader.integer(table, "baudrate")
        let readTimeout = reader.duration(table, "read_timeout")
        let commandDelay = reader.duration(table, "command_delay")
        let maxTries = reader.integer(table, "max_tries")
        let probeMax = reader.duration(table, "probe_max")
        guard let port else { return nil }
        var bus = Self(port: port)
        if let baudrate { bus.baudrate = baudrate }
        if let readTimeout { bus.readTimeout = readTimeout }
        if let commandDelay { bus.commandDelay = commandDelay }
        if let maxTries { bus.maxTries = maxTries }
        if let probeMax { bus.probeMax = probeMax }
        return bus
    }

    /// The required `port`, reporting it when missing or malformed.
    private static func readPort(_ table: ConfigTable, _ reader: inout ConfigReader) -> PortAddress? {
        guard table.entries["port"] != nil else {
            if table.isPresent {
                reader.report(
                    table, "port",
                    "missing; set the serial device or adapter, e.g. port = \"/dev/ttyUSB0\" or "
                        + "port = \"tcp://192.168.1.50:8899\"")
            } else {
                reader.report(table, nil, "missing table; it needs at least port = \"/dev/ttyUSB0\" (or \"tcp://host:port\")")
            }
            return nil
        }
        guard let text = reader.string(table, "port") else { return nil }
        do throws(LinkError) {
            return try PortAddress(parsing: text)
        } catch {
            guard case .invalidPort(_, let reason) = error else { preconditionFailure("parsing throws only invalidPort") }
            reader.report(table, "port", reason)
            return nil
        }
    }
}

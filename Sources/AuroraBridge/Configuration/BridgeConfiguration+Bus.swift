import AuroraLink

extension BridgeConfiguration {
    /// `[bus]`: the RS485 bus the inverters share.
    public struct Bus: Sendable, Equatable {
        /// `port` (required): a serial device or `tcp://host:port`.
        public var port: PortAddress
        /// `baudrate`: the serial speed, one of ``baudrates``; TCP adapters set their own.
        public var baudrate = 19200
        /// `read_timeout`: the longest wait for a reply: the ceiling of the learned reply timeout,
        /// and per try the silence after which an inverter counts as not answering.
        public var readTimeout = Duration.seconds(2)
        /// `learn_timeout`: whether each inverter's reply timeout is learned from its replies,
        /// below `read_timeout` (see ``AuroraLink/Link``); false waits `read_timeout` every try.
        public var learnTimeout = true
        /// `command_delay`: a wait between writing a request and reading the reply.
        public var commandDelay = Duration.zero
        /// `max_tries`: tries per request before giving up on it.
        public var maxTries = 3
        /// `probe_max`: the longest wait between probes of an inverter that stopped answering
        /// (asleep at night or unreachable); probes start at its poll interval and double up to this.
        public var probeMax = Duration.seconds(300)

        /// The standard rates `baudrate` may take.
        public static let baudrates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]
    }
}

extension BridgeConfiguration.Bus: ConfigSection {
    /// The defaults, on a placeholder port (an empty path, which no `port` reads as).
    static let defaults = Self(port: .serial(path: ""))

    static let entries: [ConfigEntry<Self>] = [
        .init(
            "port", \.port, .string(what: "a serial device or tcp://host:port"),
            "A serial device or an RS485-to-Ethernet adapter as tcp://host:port.", required: true),
        .init("baudrate", \.baudrate, .integerChoice(baudrates), "The serial speed (ignored over TCP)."),
        .init(
            "read_timeout", \.readTimeout, .duration(ConfigKey.minimumSeconds...60),
            "The longest wait for a reply; an inverter silent this long on every try counts as not answering."),
        .init(
            "learn_timeout", \.learnTimeout, .boolean,
            "Learn each inverter's reply timeout from its replies, below read_timeout (a dropped reply then costs milliseconds); false waits read_timeout every try."),
        .init(
            "command_delay", \.commandDelay, .duration(ConfigKey.minimumSeconds...10, zeroAllowed: true),
            "A wait between writing a request and reading the reply."),
        .init("max_tries", \.maxTries, .integer(1...10), "Tries per request before giving up on it."),
        .init(
            "probe_max", \.probeMax, .duration(1...3600),
            "The longest wait between probes of an inverter that stopped answering."),
    ]

    /// Reads `[bus]`; `nil` when `port` is missing or wrong (reported).
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        reader.checkKeys(table)
        if table.entries["port"] == nil {
            if table.isPresent {
                reader.report(
                    table, "port",
                    "missing; set the serial device or adapter, e.g. port = \"/dev/ttyUSB0\" or "
                        + "port = \"tcp://192.168.1.50:8899\"")
            } else {
                reader.report(table, nil, "missing table; it needs at least port = \"/dev/ttyUSB0\" (or \"tcp://host:port\")")
            }
        }
        var bus = defaults
        reader.read(table, into: &bus)
        return bus.port == defaults.port ? nil : bus
    }
}

/// Writes `bridge.conf` text for end-to-end tests: a broker, a bus, inverters, short intervals.
public struct TestBridgeConfiguration: Sendable {
    /// One `[[inverter]]`.
    public struct Inverter: Sendable {
        public var name: String
        public var address: Int
        public var pollInterval: Double

        /// An inverter polled every `pollInterval` seconds.
        public init(name: String, address: Int, pollInterval: Double = 0.2) {
            self.name = name
            self.address = address
            self.pollInterval = pollInterval
        }
    }

    public var brokerPort: Int
    public var busPort: String
    public var inverters: [Inverter]
    public var keepalive = 5
    /// `[mqtt] qos`.
    public var qos = 1
    public var readTimeout = 0.3
    public var maxTries = 2
    public var probeMax = 2.0
    public var archiveInterval = 60
    public var database: String
    /// `[archive] keep_days`.
    public var keepDays = 365
    public var statsInterval = 60.0
    /// Extra raw TOML appended at the end (e.g. `[fields]` tables).
    public var extra = ""

    /// A configuration for the broker on `brokerPort`, the bus at `busPort`, and `database`.
    public init(brokerPort: Int, busPort: String, inverters: [Inverter] = [Inverter(name: "roof", address: 2)], database: String) {
        self.brokerPort = brokerPort
        self.busPort = busPort
        self.inverters = inverters
        self.database = database
    }

    /// The TOML text.
    public var text: String {
        var lines = [
            "[mqtt]", "host = \"127.0.0.1\"", "port = \(brokerPort)", "client_id = \"aurora-bridge-test\"",
            "keepalive = \(keepalive)", "qos = \(qos)", "reconnect_min = 1", "reconnect_max = 1", "",
            "[bus]", "port = \"\(busPort)\"", "read_timeout = \(readTimeout)", "max_tries = \(maxTries)",
            "probe_max = \(probeMax)", "",
            "[archive]", "interval = \(archiveInterval)", "database = \"\(database)\"", "keep_days = \(keepDays)", "",
            "[stats]", "interval = \(statsInterval)", "",
        ]
        for inverter in inverters {
            lines += ["[[inverter]]", "name = \"\(inverter.name)\"", "address = \(inverter.address)", "poll_interval = \(inverter.pollInterval)", ""]
        }
        return lines.joined(separator: "\n") + "\n" + extra + "\n"
    }
}

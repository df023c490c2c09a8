import Foundation

/// The `bridge.conf` the bench runs the bridge with: the shipped defaults (see the repository's
/// `bridge.conf`) except the broker, the bus, the archive database, the inverters and their poll
/// interval, and (when set) `learn_timeout` and `[http]`.
struct BenchBridgeConfiguration: Sendable {
    /// One `[[inverter]]`.
    struct Inverter: Sendable {
        /// The `<inverter>` of the topics.
        var name: String
        /// The bus address.
        var address: UInt8
    }

    /// The broker's port on 127.0.0.1.
    var brokerPort: UInt16
    /// The serial device (a simulator's pseudo-terminal link).
    var busPort: String
    /// The archive database file.
    var database: String
    /// Seconds between polls of each inverter.
    var pollInterval: Double
    /// The inverters: by default one, `bench` at address 2.
    var inverters = [Inverter(name: "bench", address: 2)]
    /// `[bus] learn_timeout`, or nil for the default.
    var learnTimeout: Bool?
    /// With a port, `[http] enabled` on 127.0.0.1 at that port; nil leaves `[http]` out.
    var statusPort: UInt16?

    /// The first inverter's name, the `<inverter>` of its topics.
    var inverterName: String { inverters.first?.name ?? "" }

    /// The TOML text.
    var text: String {
        var lines = [
            "[mqtt]", "host = \"127.0.0.1\"", "port = \(brokerPort)", "client_id = \"aurora-bridge-bench\"", "",
            "[bus]", "port = \"\(busPort)\"",
        ]
        if let learnTimeout { lines.append("learn_timeout = \(learnTimeout)") }
        lines += ["", "[archive]", "database = \"\(database)\"", ""]
        for inverter in inverters {
            lines += ["[[inverter]]", "name = \"\(inverter.name)\"", "address = \(inverter.address)", "poll_interval = \(pollInterval)", ""]
        }
        if let statusPort {
            lines += ["[http]", "enabled = true", "listen = \"127.0.0.1:\(statusPort)\"", ""]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the text to `path`.
    func write(to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

import Foundation

/// The `bridge.conf` the bench runs the bridge with: the shipped defaults (see the repository's
/// `bridge.conf`) except the broker, the bus, the archive database and the poll interval.
struct BenchBridgeConfiguration: Sendable {
    /// The broker's port on 127.0.0.1.
    var brokerPort: UInt16
    /// The serial device (a simulator's pseudo-terminal link).
    var busPort: String
    /// The archive database file.
    var database: String
    /// Seconds between polls of the one inverter.
    var pollInterval: Double
    /// The inverter's name, the `<inverter>` of the topics.
    var inverterName = "bench"
    /// With a port, `[http] enabled` on 127.0.0.1 at that port; nil leaves `[http]` out.
    var statusPort: UInt16?

    /// The TOML text.
    var text: String {
        """
        [mqtt]
        host = "127.0.0.1"
        port = \(brokerPort)
        client_id = "aurora-bridge-bench"

        [bus]
        port = "\(busPort)"

        [archive]
        database = "\(database)"

        [[inverter]]
        name = "\(inverterName)"
        address = 2
        poll_interval = \(pollInterval)

        """ + (statusPort.map { "[http]\nenabled = true\nlisten = \"127.0.0.1:\($0)\"\n" } ?? "")
    }

    /// Writes the text to `path`.
    func write(to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

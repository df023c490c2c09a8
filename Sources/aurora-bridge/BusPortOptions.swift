import ArgumentParser
import AuroraLink
import Foundation

/// The options of every command that opens the bus: the port, its speed, and a capture.
struct BusPortOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Serial device (e.g. /dev/ttyUSB0, /dev/serial/by-id/…) or tcp://HOST:PORT.", valueName: "port"))
    var port: String

    @Option(help: "Serial line speed.")
    var baud: Int = 19200

    @OptionGroup var capture: CaptureOptions

    func validate() throws {
        do {
            _ = try PortAddress(parsing: port)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The parsed port.
    func address() throws -> PortAddress { try PortAddress(parsing: port) }

    /// The capture file for this port, or nil without `--capture`.
    func openCapture() throws -> CaptureFile? { try capture.open(port: port, baudRate: baud) }
}

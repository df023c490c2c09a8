import ArgumentParser
import AuroraLink
import AuroraProtocol
import Foundation
import Logging

/// Options naming one inverter on a bus, shared by the one-shot commands.
struct LinkOptions: ParsableArguments {
    @OptionGroup var bus: BusPortOptions

    @Option(help: "The inverter's bus address (1–63).")
    var address: UInt8 = 2

    @Option(help: "Seconds to wait for each reply.")
    var readTimeout: Double = 2

    @Option(help: "Attempts per request.")
    var tries: Int = 3

    @Option(help: "Time zone the inverter clock is set to (default: the host's).")
    var timeZone: String?

    func validate() throws {
        guard (1...63).contains(address) else {
            throw ValidationError("--address must be from 1 to 63 (Aurora inverters default to 2)")
        }
        guard readTimeout > 0 else { throw ValidationError("--read-timeout must be more than 0 seconds") }
        guard (1...10).contains(tries) else { throw ValidationError("--tries must be from 1 to 10") }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            throw ValidationError("unknown time zone \"\(timeZone)\"; use an IANA name such as Europe/Rome")
        }
    }

    /// A client for the addressed inverter; the port is opened (and locked) before returning.
    func connect() async throws -> Inverter {
        let configuration = LinkConfiguration(
            port: try bus.address(),
            baudRate: bus.baud,
            readTimeout: .milliseconds(Int64(readTimeout * 1000)),
            maxTries: tries
        )
        // One-shot output is the answer or the error: keep the link's routine notes off stderr.
        var logger = Logger(label: "aurora.link")
        logger.logLevel = .warning
        let link = Link(configuration: configuration, logger: logger, capture: try bus.openCapture())
        try await link.open()
        let zone = timeZone.flatMap(TimeZone.init(identifier:)) ?? .current
        return Inverter(link: link, address: address, clock: InverterClock(timeZone: zone))
    }
}

import ArgumentParser
import AuroraBridge
import AuroraLink
import Foundation
import Logging

/// `aurora-bridge scan`: finds the inverters on a bus and prints who they are.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find the inverters on a bus and print their identity.",
        discussion: """
            Asks every address from --from to --to once, waiting --timeout for each (the whole bus \
            takes about 20 s), then reads the identity and state of every inverter that answered. \
            Exits 69 when none answers.
            """
    )

    @OptionGroup var bus: ScanOptions

    @Flag(help: "Print a JSON array of objects (address, partNumber, serialNumber, model, firmware, state).")
    var json = false

    func run() async throws {
        let found = try await bus.scan()
        print(json ? ScanReport.json(found) : ScanReport.table(found))
    }
}

/// The bus options of `scan` and `init`.
struct ScanOptions: ParsableArguments {
    @OptionGroup var line: BusPortOptions

    @Option(help: "The first address to ask.")
    var from: UInt8 = 1

    @Option(help: "The last address to ask.")
    var to: UInt8 = 63

    @Option(help: "Seconds to wait for each address.")
    var timeout: Double = 0.3

    @Option(help: "Seconds to wait for each identity reply of an inverter that answered.")
    var readTimeout: Double = 2

    func validate() throws {
        guard (1...63).contains(from), (1...63).contains(to), from <= to else {
            throw ValidationError("--from and --to must be addresses from 1 to 63, --from not above --to")
        }
        guard timeout > 0, readTimeout > 0 else { throw ValidationError("--timeout and --read-timeout must be more than 0 seconds") }
    }

    /// Scans the bus; prints why and exits 69 (EX_UNAVAILABLE) when the port fails or nothing answers.
    func scan() async throws -> [FoundInverter] {
        var scanner = BusScanner(
            port: try line.address(), baudRate: line.baud, addresses: from...to,
            sweepTimeout: .milliseconds(Int64(timeout * 1000)), readTimeout: .milliseconds(Int64(readTimeout * 1000))
        )
        scanner.capture = try line.openCapture()
        var logger = Logger(label: "aurora.scan")
        logger.logLevel = .warning
        let found: [FoundInverter]
        do {
            found = try await scanner.scan(logger: logger)
        } catch {
            FileHandle.standardError.write(Data("aurora-bridge: \(error)\n".utf8))
            throw ExitCode(69)
        }
        guard !found.isEmpty else {
            FileHandle.standardError.write(Data("""
                aurora-bridge: no inverter answered at addresses \(from)–\(to) on \(line.port) (\(timeout) s each). Check: \
                the wiring (A/B or +/− may be swapped, a common ground), the bus termination (120 Ω at both ends), \
                the baud rate (Aurora inverters use 19200), and that it is daylight (inverters sleep at night); \
                a slow adapter may need a longer --timeout.

                """.utf8))
            throw ExitCode(69)
        }
        return found
    }
}

/// How `scan` prints what it found.
enum ScanReport {
    /// One line per inverter.
    static func table(_ found: [FoundInverter]) -> String {
        found.map { inverter in
            let identity = inverter.identity
            return "address \(inverter.address): \(identity.version.model), part number \(identity.partNumber), "
                + "serial number \(identity.serialNumber), firmware \(identity.firmware), state \(inverter.status.global)"
        }.joined(separator: "\n")
    }

    /// A JSON array with one object per inverter.
    static func json(_ found: [FoundInverter]) -> String {
        let objects = found.map { inverter in
            var object = JSONObject()
            object.add("address", inverter.address)
            object.add("partNumber", inverter.identity.partNumber)
            object.add("serialNumber", inverter.identity.serialNumber)
            object.add("model", inverter.identity.version.model)
            object.add("firmware", inverter.identity.firmware.description)
            object.add("state", inverter.status.global.description)
            return object.description
        }
        return "[" + objects.joined(separator: ",") + "]"
    }
}

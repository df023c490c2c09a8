import ArgumentParser
import AuroraBridge
import AuroraLink
import AuroraProtocol
import Foundation

/// `aurora-bridge query WHAT`: reads an inverter once and prints what it says.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Read an inverter once and print the result.",
        discussion: "Values are in the inverter's own units: W, V, A, Hz, °C, MΩ, and Wh for energy counters."
    )

    /// What to read.
    enum Item: String, ExpressibleByArgument, CaseIterable {
        case readings, info, state, energy, time, alarms
    }

    @Argument(help: ArgumentHelp("What to read.", valueName: "readings|info|state|energy|time|alarms"))
    var item: Item

    @OptionGroup var link: LinkOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        try await withInverter(link) { inverter in
            let report = try await QueryReport.read(item, from: inverter)
            print(json ? report.json.description : report.table)
        }
    }
}

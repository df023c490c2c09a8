import ArgumentParser
import AuroraBridge
import Foundation

extension ArchiveCommand {
    /// `aurora-bridge archive plot`: one inverter's day as an SVG picture.
    struct Plot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw one inverter's day from the local archive as an SVG file.",
            discussion: """
                Draws the power of each interval (average line, min–max band), the cumulative energy, \
                and markers where the inverter started and stopped reporting, with axes in local time, \
                W and kWh. --inverter may be left out when the archive holds one inverter that day.
                """
        )

        @OptionGroup var config: ConfigOption

        @Option(help: ArgumentHelp("The local day to draw.", valueName: "YYYY-MM-DD"))
        var day: String

        @Option(help: "The inverter (its configured name).")
        var inverter: String?

        @Option(help: ArgumentHelp("Where to write the SVG.", valueName: "file.svg"))
        var output: String

        func validate() throws {
            if LocalDay(day) == nil { throw ValidationError("--day: cannot read \"\(day)\" as a day; use YYYY-MM-DD, e.g. 2026-06-21") }
        }

        func run() async throws {
            guard let localDay = LocalDay(day) else { throw ExitCode.validationFailure }
            let configuration = try config.load()
            let store = try ArchiveStore(path: configuration.archive.database, busyTimeout: configuration.archive.busyTimeout)
            let records = try await DayPlot.records(of: localDay, inverter: inverter, in: store)
            let names = Set(records.map(\.inverter)).sorted()
            guard let name = inverter ?? names.first else {
                throw ValidationError("the archive has no records for \(day)\(inverter.map { " and inverter \($0)" } ?? "")")
            }
            guard names.count <= 1 else {
                throw ValidationError("the archive holds several inverters on \(day) (\(names.joined(separator: ", "))): choose one with --inverter")
            }
            let plot = DayPlot(inverter: name, day: localDay, records: records)
            do {
                try plot.svg().write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("aurora-bridge: cannot write \(output): \(error.localizedDescription)\n".utf8))
                throw ExitCode(73)  // EX_CANTCREAT
            }
            print("wrote \(output): \(name), \(day), \(records.count) interval(s), \(String(format: "%.3f", plot.totalEnergy / 1000)) kWh")
        }
    }
}

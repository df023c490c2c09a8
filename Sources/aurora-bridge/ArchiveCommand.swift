import ArgumentParser
import AuroraBridge
import Foundation

/// `aurora-bridge archive`: look at, export and republish the local archive.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Look at, export or republish the interval summaries stored in the local archive.",
        subcommands: [List.self, Export.self, Replay.self, Plot.self]
    )

    /// Options choosing records.
    struct Selection: ParsableArguments {
        @OptionGroup var config: ConfigOption

        @Option(help: "Only this inverter.")
        var inverter: String?

        @Option(help: ArgumentHelp("From this time (Unix seconds, or local YYYY-MM-DD[THH:MM[:SS]]).", valueName: "time"))
        var from: String?

        @Option(help: ArgumentHelp("Up to this time, inclusive (same forms as --from).", valueName: "time"))
        var to: String?

        func validate() throws {
            for (name, value) in [("--from", from), ("--to", to)] {
                if let value, TimeArgument.parse(value) == nil {
                    throw ValidationError("\(name): \(TimeArgument.help(value))")
                }
            }
        }

        /// The selected records, oldest first.
        func records() async throws -> [ArchiveRecord] {
            let configuration = try config.load()
            let store = try ArchiveStore(path: configuration.archive.database, busyTimeout: configuration.archive.busyTimeout)
            return try await store.records(inverter: inverter, from: from.flatMap(TimeArgument.parse), to: to.flatMap(TimeArgument.parse))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored records: end time, inverter, packets and energy.")

        @OptionGroup var selection: Selection

        func run() async throws {
            for record in try await selection.records() {
                let energy = record["energy"].map { "\($0.value) Wh" } ?? "-"
                print("\(TimeArgument.local(record.dateTime))  \(record.inverter)  \(record.interval) s  \(record.count) packets  energy \(energy)")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write stored records as CSV or JSON to standard output.")

        /// Output formats.
        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, jsonl }

        @OptionGroup var selection: Selection

        @Option(help: "csv (a header and a row per record), json (one array) or jsonl (an object per line).")
        var format: Format = .csv

        func run() async throws {
            let records = try await selection.records()
            switch format {
            case .csv: print(ArchiveExport.csv(records), terminator: "")
            case .json: print(ArchiveExport.jsonArray(records), terminator: "")
            case .jsonl: print(ArchiveExport.jsonLines(records), terminator: "")
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish stored records again (retained, oldest first) and wait for the broker to acknowledge them.",
            discussion: """
                Sends at most 32 records at a time and prints how many records were published and \
                acknowledged. Exits 69 if the broker cannot be reached within 10 seconds, or stops \
                acknowledging for 30 seconds before every record is acknowledged.
                """
        )

        @OptionGroup var selection: Selection

        func run() async throws {
            let configuration = try selection.config.load()
            let store = try ArchiveStore(path: configuration.archive.database, busyTimeout: configuration.archive.busyTimeout)
            let from = selection.from.flatMap(TimeArgument.parse)
            let to = selection.to.flatMap(TimeArgument.parse)
            do {
                let outcome = try await ArchiveReplay(configuration: configuration)
                    .publish(from: store, inverter: selection.inverter, from: from, to: to)
                print("replayed \(outcome.acknowledged) record(s): \(outcome)")
            } catch {
                FileHandle.standardError.write(Data("aurora-bridge: \(error)\n".utf8))
                throw ExitCode(69)
            }
        }
    }
}

/// Times given on the command line.
enum TimeArgument {
    /// Unix seconds, or a local `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`.
    static func parse(_ text: String) -> Int64? {
        if let seconds = Int64(text) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970) }
        }
        return nil
    }

    /// What to write instead of `text`.
    static func help(_ text: String) -> String {
        "cannot read \"\(text)\" as a time; use Unix seconds or a local time such as 2026-06-21 or 2026-06-21T12:30"
    }

    /// `unix` as a local `YYYY-MM-DD HH:MM:SS`.
    static func local(_ unix: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(unix)))
    }
}

import ArgumentParser
import AuroraBridge
import Foundation

/// `aurora-bridge events`: the stored event log, newest last, in local time.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List the stored events (alarms, state and availability changes, clock corrections, the bridge's own), newest last.",
        discussion: """
            Reads the archive database of the configuration. Times are local. With --json, prints \
            the stored payloads, exactly as published, as one JSON array. docs/events.md lists every \
            event type and its fields.
            """
    )

    @OptionGroup var config: ConfigOption

    @Option(help: ArgumentHelp("From this time on (Unix seconds, or local YYYY-MM-DD[THH:MM[:SS]]).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only this inverter's events (bridge: the bridge's own).", valueName: "name"))
    var inverter: String?

    @Option(help: ArgumentHelp("Only events of this type: \(EventType.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "type"))
    var type: String?

    @Flag(help: "Print the stored payloads as a JSON array instead of a table.")
    var json = false

    func validate() throws {
        if let since, TimeArgument.parse(since) == nil { throw ValidationError("--since: \(TimeArgument.help(since))") }
        if let type, EventType(rawValue: type) == nil {
            throw ValidationError("--type: unknown event type \"\(type)\"; use one of \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let configuration = try config.load()
        let store = try ArchiveStore(path: configuration.archive.database, busyTimeout: configuration.archive.busyTimeout)
        let events = try await store.events(since: since.flatMap(TimeArgument.parse), source: inverter, type: type)
        if json {
            print("[" + events.map(\.payload).joined(separator: ",\n") + "]")
            return
        }
        for event in events {
            let details = event.detailsText
            print("\(TimeArgument.local(event.dateTime))  \(event.source)  \(event.type)" + (details.isEmpty ? "" : "  " + details))
        }
    }
}

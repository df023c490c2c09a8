import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

@Suite("aurora-bridge events")
struct EventsCommandTests {
    /// A configuration whose archive holds a few stored events; its path and the events' payloads.
    private func storedEvents(_ directory: TemporaryDirectory) async throws -> (config: String, store: ArchiveStore) {
        let database = directory.file("archive.sqlite")
        let config = directory.file("bridge.conf")
        try "[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"roof\"\naddress = 2\n[archive]\ndatabase = \"\(database)\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let store = try ArchiveStore(path: database)
        try await store.insert(BridgeEvent(dateTime: 1_782_046_800, source: "bridge", type: .started, details: [("version", .text("1.0"))]))
        try await store.insert(BridgeEvent(dateTime: 1_782_046_810, source: "roof", type: .alarmRaised, details: [
            ("code", .integer(13)), ("text", .text("Grid fail \"E013\"")), ("reported_late", .flag(false)),
        ]))
        try await store.insert(BridgeEvent(dateTime: 1_782_046_840, source: "roof", type: .alarmCleared, details: [("code", .integer(13))]))
        return (config, store)
    }

    @Test func jsonListsExactlyWhatWasStoredNewestLast() async throws {
        let directory = try TemporaryDirectory("events-command")
        let (config, store) = try await storedEvents(directory)
        let result = try await BridgeCommandLine.run(["events", "--config", config, "--json"])
        #expect(result.exitCode == 0, "\(result)")
        let stored = try await store.events().map(\.payload)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [Any])
        #expect(listed.count == 3)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[" + stored.joined(separator: ",\n") + "]")
    }

    @Test func filtersByInverterTypeAndTime() async throws {
        let directory = try TemporaryDirectory("events-filter")
        let (config, _) = try await storedEvents(directory)
        let roof = try await BridgeCommandLine.run(["events", "--config", config, "--inverter", "roof"])
        #expect(roof.exitCode == 0 && roof.output.split(separator: "\n").count == 2, "\(roof)")
        #expect(roof.output.contains("roof  alarm_raised") && roof.output.contains("code 13"))
        let cleared = try await BridgeCommandLine.run(["events", "--config", config, "--type", "alarm_cleared", "--json"])
        #expect(cleared.output.contains("alarm_cleared") && !cleared.output.contains("alarm_raised"), "\(cleared)")
        let later = try await BridgeCommandLine.run(["events", "--config", config, "--since", "1782046811", "--json"])
        #expect(later.output.components(separatedBy: "event_type").count == 2, "only the one after: \(later)")
    }

    @Test func anUnknownTypeIsRefusedWithTheTypesThereAre() async throws {
        let result = try await BridgeCommandLine.run(["events", "--type", "alarm"])
        #expect(result.exitCode == 64)
        #expect(result.errors.contains("alarm_raised, alarm_cleared"), "\(result)")
    }
}

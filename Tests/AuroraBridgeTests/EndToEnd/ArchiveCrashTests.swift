import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

extension ArchiveEndToEnd {
    /// `aurora-bridge run` killed with SIGKILL while records wait for an absent broker.
    @Suite struct CrashTests {
        @Test func afterSigkillTheUndeliveredRecordsArriveOldestFirstAndTheDatabaseIsIntact() async throws {
            let directory = try TemporaryDirectory("archive-sigkill")
            let broker = try await ArchiveBench.persistentBroker(in: directory)
            let bus = try SimulatedBus.pseudoTerminal()
            defer { bus.stop() }
            var configuration = TestBridgeConfiguration(
                brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.archiveInterval = 1
            let configPath = try ArchiveBench.write(configuration, in: directory)
            let store = try ArchiveStore(path: configuration.database)  // the schema exists before any bridge opens it
            let database = ArchiveDatabase(path: configuration.database)
            let subscriber = try await ArchiveBench.persistentSubscriber(to: broker, filter: "aurora/roof/archive")
            try await broker.stop()

            let first = try BridgeProcess(configPath: configPath, logPath: directory.file("first.log"))
            try await Deadline.until("three undelivered records", timeout: .seconds(20), interval: .milliseconds(50)) {
                try await store.undeliveredCount() >= 3
            }
            try await first.kill()
            let backlog = try await store.undelivered(limit: 1000).map(\.dateTime)
            #expect(try database.integrityCheck() == "ok")

            // A new bridge on the same database starts before the broker and adds records of its own.
            let second = try BridgeProcess(configPath: configPath, logPath: directory.file("second.log"))
            try await Deadline.until("the new bridge to store a record", timeout: .seconds(15), interval: .milliseconds(50)) {
                try await store.undeliveredCount() > backlog.count
            }
            try await broker.start()
            let stored = try await store.records().map(\.dateTime)
            try await Deadline.until("every record stored so far to arrive", timeout: .seconds(20), interval: .milliseconds(50)) {
                Set(try ArchiveBench.liveRecordTimes(subscriber)).isSuperset(of: stored)
            }
            try await Deadline.until("every record stored so far to be marked delivered", timeout: .seconds(10), interval: .milliseconds(50)) {
                try database.rows().filter { stored.contains($0.dateTime) }.allSatisfy(\.delivered)
            }
            #expect(try await second.terminate() == 0, "log: \(second.log)")

            let live = try ArchiveBench.liveRecordTimes(subscriber)
            #expect(zip(live, live.dropFirst()).allSatisfy { $0 < $1 }, "oldest first, none twice: \(live), backlog \(backlog)")
            #expect(Array(live.prefix(stored.count)) == stored, "none missing")
            #expect(Array(live.prefix(backlog.count)) == backlog, "the killed bridge's backlog first")
            #expect(try database.integrityCheck() == "ok")
            #expect(try database.integer("SELECT COUNT(*) FROM archive WHERE delivered = 0 AND dateTime <= \(stored.last!)") == 0)
        }
    }
}

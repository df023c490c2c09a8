import Foundation
import GRDB
import Testing

@testable import AuroraBridge

@Suite("ArchiveStore on real SQLite files")
struct ArchiveStoreTests {
    /// Some columns of a stored row, read straight from SQLite.
    struct StoredColumns {
        var power: Double?
        var clock: Int64?
        var clockType: String?
        var energy: Double?
        var interval: Int64?
        var count: Int64?
    }

    /// A record of `inverter` ending at `end` with a float, a counter and the derived energy.
    func record(_ inverter: String = "inv1", end: Int64, power: Float = 494.79935, day: Int64 = 8636) throws
        -> ArchiveRecord
    {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(
            Fixture.packet(
                inverter, at: end - 100,
                ["gridPower": .float(power), "dayEnergy": .integer(day - 5), "energy": .integer(2)]))
        _ = archiver.add(
            Fixture.packet(
                inverter, at: end - 50,
                ["gridPower": .float(power / 2), "dayEnergy": .integer(day), "energy": .integer(5)]))
        return try #require(archiver.close(through: end).first)
    }

    @Test("a new file, in a folder that does not exist yet, gets the current schema (v5) in WAL mode")
    func createsSchema() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/nested/deeper/archive.sqlite"
            _ = try ArchiveStore(path: path)
            let db = try DatabaseQueue(path: path)
            try await db.read { db in
                #expect(try db.tableExists("archive"))
                #expect(try db.tableExists("open_interval"))
                #expect(try db.tableExists("counter_state"))
                #expect(try db.tableExists("announcement"))
                #expect(try db.tableExists("event"))
                #expect(try db.tableExists("last_alarms"))
                #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == ["v1", "v2", "v3", "v4", "v5"])
                #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
                let columns = try db.columns(in: "archive")
                let types = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.type) })
                #expect(columns.prefix(4).map(\.name) == ["inverter", "dateTime", "interval", "count"])
                #expect(types["gridPower"] == "REAL")
                #expect(types["string1Voltage"] == "REAL")
                #expect(types["gridnphVoltage"] == "REAL")
                #expect(types["energy"] == "REAL")
                #expect(types["dayEnergy"] == "INTEGER")
                #expect(types["inverterDateTime"] == "INTEGER")
                #expect(types["summary"] == "BLOB")
                #expect(types["delivered"] == "INTEGER")
                #expect(try db.primaryKey("archive").columns == ["inverter", "dateTime"])
            }
        }
    }

    @Test("reopening keeps the data and runs no migration twice")
    func reopen() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            let written = try record(end: 1_700_000_100)
            try await ArchiveStore(path: path).insert(written)
            let reopened = try ArchiveStore(path: path)
            _ = try ArchiveStore(path: path)
            #expect(try await reopened.records() == [written])
            let count = try await DatabaseQueue(path: path).read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations")
            }
            #expect(count == 5)
        }
    }

    @Test("undelivered: oldest first across inverters, limited; markDelivered removes a record from it")
    func deliveryOrder() async throws {
        try await withTemporaryDirectory { folder in
            let store = try ArchiveStore(path: folder + "/archive.sqlite")
            let base: Int64 = 1_700_000_100
            let records = [
                try record("b", end: base + 300), try record("a", end: base + 300),
                try record("b", end: base), try record("c", end: base + 600), try record("a", end: base),
            ]
            for record in records { #expect(try await store.insert(record)) }
            #expect(try await store.undeliveredCount() == 5)
            let order = try await store.undelivered(limit: 10).map { "\($0.inverter)@\($0.dateTime - base)" }
            #expect(order == ["a@0", "b@0", "a@300", "b@300", "c@600"])
            #expect(try await store.undelivered(limit: 2).map(\.inverter) == ["a", "b"])

            #expect(try await store.markDelivered(inverter: "a", dateTime: base))
            #expect(!(try await store.markDelivered(inverter: "a", dateTime: base)))
            #expect(!(try await store.markDelivered(inverter: "zzz", dateTime: base)))
            #expect(try await store.undeliveredCount() == 4)
            #expect(try await store.undelivered(limit: 1).map(\.inverter) == ["b"])
            #expect(try await store.records().count == 5)
        }
    }

    @Test("inserting the same inverter and interval again is ignored and keeps the delivered flag")
    func idempotentInsert() async throws {
        try await withTemporaryDirectory { folder in
            let store = try ArchiveStore(path: folder + "/archive.sqlite")
            let first = try record(end: 1_700_000_100, power: 100)
            let again = try record(end: 1_700_000_100, power: 200)
            #expect(try await store.insert(first))
            #expect(try await store.markDelivered(inverter: "inv1", dateTime: 1_700_000_100))
            #expect(!(try await store.insert(again)))
            #expect(try await store.records() == [first])
            #expect(try await store.undeliveredCount() == 0)
        }
    }

    @Test("records read back equal the records written, with primary values in the field columns")
    func roundTrip() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            let store = try ArchiveStore(path: path)
            var archiver = try Fixture.archiver(300)
            _ = archiver.add(
                Fixture.packet(
                    at: 1_700_000_010,
                    [
                        "gridPower": .float(494.79935), "inverterDateTime": .integer(1_700_036_000),
                        "customField": .double(0.1), "energy": .integer(3),
                    ]))
            _ = archiver.add(Fixture.packet(at: 1_700_000_020, ["gridPower": .float(1e-05), "customField": .double(2)]))
            let written = try #require(archiver.close(through: 1_700_000_100).first)
            try await store.insert(written)
            let read = try await store.records()
            #expect(read == [written])
            #expect(read.first?.payload() == written.payload())

            let columns = try await DatabaseQueue(path: path).read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT gridPower, inverterDateTime, typeof(inverterDateTime) AS clockType, energy, "
                        + "interval, count FROM archive"
                ).map { row in
                    StoredColumns(
                        power: row["gridPower"], clock: row["inverterDateTime"], clockType: row["clockType"],
                        energy: row["energy"], interval: row["interval"], count: row["count"])
                }
            }
            #expect(columns?.power == written["gridPower"]?.value.double)
            #expect(columns?.clock == 1_700_036_000)
            #expect(columns?.clockType == "integer")
            #expect(columns?.energy == 3)
            #expect(columns?.interval == 300)
            #expect(columns?.count == 2)
        }
    }

    @Test("edge values (NaN payloads, −0, infinities, extreme integers, odd names) read back bit for bit")
    func edgeValues() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            // Names must be unique within a record: the first 8 edge fields have distinct ones.
            let fields = SummaryBlobTests.edgeFields(recordCount: 7).enumerated().map { index, field in
                var field = field
                if index >= 8 { field.name = "extra\(index)" }
                return field
            }
            let written = ArchiveRecord(inverter: "inv1", dateTime: 1_700_000_100, interval: 300, count: 7, fields: fields)
            try await ArchiveStore(path: path).insert(written)
            let read = try await ArchiveStore(path: path).records()
            #expect(read.map(exact) == [exact(written)])
            let summaryType = try await DatabaseQueue(path: path).read { db in
                try String.fetchOne(db, sql: "SELECT typeof(summary) FROM archive")
            }
            #expect(summaryType == "blob")
        }
    }

    @Test("records(inverter:from:to:) filters by inverter and an inclusive time range")
    func filteredRecords() async throws {
        try await withTemporaryDirectory { folder in
            let store = try ArchiveStore(path: folder + "/archive.sqlite")
            let base: Int64 = 1_700_000_100
            for end in [base, base + 300, base + 600] {
                try await store.insert(try record("a", end: end))
                try await store.insert(try record("b", end: end))
            }
            #expect(try await store.records().count == 6)
            #expect(try await store.records(inverter: "a").map(\.dateTime) == [base, base + 300, base + 600])
            #expect(try await store.records(from: base + 300, to: base + 300).map(\.inverter) == ["a", "b"])
            #expect(try await store.records(inverter: "b", from: base + 1).map(\.dateTime) == [base + 300, base + 600])
            #expect(try await store.records(to: base).count == 2)
            #expect(try await store.records(inverter: "nobody").isEmpty)
        }
    }

    @Test("prune deletes old delivered records and keeps undelivered ones, however old")
    func prune() async throws {
        try await withTemporaryDirectory { folder in
            let store = try ArchiveStore(path: folder + "/archive.sqlite")
            let base: Int64 = 1_700_000_100
            for end in [base, base + 300, base + 600, base + 900] {
                try await store.insert(try record(end: end))
            }
            try await store.markDelivered(inverter: "inv1", dateTime: base)
            try await store.markDelivered(inverter: "inv1", dateTime: base + 600)
            try await store.markDelivered(inverter: "inv1", dateTime: base + 900)
            #expect(try await store.prune(deliveredBefore: base + 900) == 2)
            #expect(try await store.records().map(\.dateTime) == [base + 300, base + 900])
            #expect(try await store.undelivered(limit: 10).map(\.dateTime) == [base + 300])
            #expect(try await store.prune(deliveredBefore: base + 900) == 0)
        }
    }

    @Test("open intervals: save, load what was saved, save again replaces, clear empties")
    func partial() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            let store = try ArchiveStore(path: path)
            #expect(try await store.loadPartial().isEmpty)
            var archiver = try Fixture.archiver(300)
            _ = archiver.add(
                Fixture.packet("b", at: 1_700_000_010, ["gridPower": .float(494.79935), "energy": .integer(1)]))
            _ = archiver.add(Fixture.packet("a", at: 1_700_000_020, ["dayEnergy": .integer(12)]))
            _ = archiver.add(Fixture.packet("b", at: 1_700_000_030, ["gridPower": .float(0.1), "energy": .integer(2)]))
            try await store.savePartial(archiver.snapshot())
            #expect(try await ArchiveStore(path: path).loadPartial() == archiver.snapshot())

            var restored = try Fixture.archiver(300)
            #expect(restored.restore(try await store.loadPartial()).isEmpty)
            #expect(restored.close(through: 1_700_000_100) == archiver.close(through: 1_700_000_100))

            _ = archiver.add(Fixture.power("c", at: 1_700_000_110))
            try await store.savePartial(archiver.snapshot())
            #expect(try await store.loadPartial().map(\.inverter) == ["c"])
            try await store.clearPartial()
            #expect(try await store.loadPartial().isEmpty)
        }
    }

    @Test("a folder that cannot be created gives an error naming the path and the setting")
    func unwritableFolder() async throws {
        try await withTemporaryDirectory { folder in
            let blocker = folder + "/not-a-folder"
            #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
            let error = #expect(throws: ArchiveStoreError.self) {
                try ArchiveStore(path: blocker + "/archive.sqlite")
            }
            guard case .cannotCreateDirectory(let path, _) = error else {
                Issue.record("expected cannotCreateDirectory, got \(String(describing: error))")
                return
            }
            #expect(path == blocker)
            #expect(error?.description.contains(blocker) == true)
            #expect(error?.description.contains("[archive] database") == true)
        }
    }

    @Test("a file that is not a database gives an error naming the path and the setting")
    func notADatabase() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096)))
            let error = #expect(throws: ArchiveStoreError.self) { try ArchiveStore(path: path) }
            guard case .cannotOpen(let reported, _) = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(reported == path)
            #expect(error?.description.contains("[archive] database") == true)
        }
    }

    @Test(
        "a damaged summary is reported with the row to delete",
        arguments: ["'{oops'", "X'0109E815'", "X''", "42"])
    func damagedSummary(damage: String) async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            let store = try ArchiveStore(path: path)
            try await store.insert(try record(end: 1_700_000_100))
            try await DatabaseQueue(path: path).write { db in
                try db.execute(sql: "UPDATE archive SET summary = \(damage)")
            }
            let error = await #expect(throws: ArchiveStoreError.self) { try await store.undelivered(limit: 1) }
            guard case .unreadableRecord(_, let inverter, let dateTime, _) = error else {
                Issue.record("expected unreadableRecord, got \(String(describing: error))")
                return
            }
            #expect(inverter == "inv1")
            #expect(dateTime == 1_700_000_100)
            let command = "DELETE FROM archive WHERE inverter = 'inv1' AND dateTime = 1700000100;"
            #expect(error?.description.contains(command) == true)
        }
    }
}

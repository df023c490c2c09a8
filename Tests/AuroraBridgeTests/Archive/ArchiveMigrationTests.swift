import AuroraProtocol
import Foundation
import GRDB
import Testing

@testable import AuroraBridge

@Suite("Migration v2: JSON summaries of a v1 archive become blobs")
struct ArchiveMigrationTests {
    /// `count` records per inverter of `inverters` from the Archiver, every interval with a
    /// float measure, the energy counters, the derived energy and a field without a column.
    func records(inverters: [String], count: Int) throws -> [ArchiveRecord] {
        var archiver = try Fixture.archiver(300)
        var records: [ArchiveRecord] = []
        let start: Int64 = 1_700_000_100
        for step in 0..<Int64(count * 30) {
            let time = start + 10 * step
            for (offset, inverter) in inverters.enumerated() {
                let wave = Float(step % 17) * 13.7 + Float(offset)
                records += archiver.add(
                    Fixture.packet(
                        inverter, at: time,
                        [
                            "gridPower": .float(wave * 10.25), "gridVoltage": .float(230 + wave / 100),
                            "leakCurrent": .float(-0.0), "dayEnergy": .integer(8_000 + step),
                            "totalEnergy": .integer(18_508_636 + step), "inverterDateTime": .integer(time - 3),
                            "energy": .integer(step % 3), "customField": .double(Double(step) / 7),
                        ]))
            }
        }
        return records
    }

    /// Every column of `archive` except `summary`, by primary key, as text.
    func columnsWithoutSummary(_ reader: any DatabaseReader) throws -> [String] {
        try reader.read { db in
            let names = try db.columns(in: "archive").map(\.name).filter { $0 != "summary" }.sorted()
            return try Row.fetchAll(db, sql: "SELECT * FROM archive ORDER BY inverter, dateTime").map { row in
                names.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: " ")
            }
        }
    }

    func fileSize(_ path: String) throws -> Int {
        try ["", "-wal"].reduce(0) { total, suffix in
            guard FileManager.default.fileExists(atPath: path + suffix) else { return total }
            return total + ((try FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
        }
    }

    @Test("every v1 row is converted exactly, columns and flags unchanged, and the file shrinks")
    func convertsV1() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            let written = try records(inverters: ["roof", "garage"], count: 40)
            // Values a v1 summary can hold exactly: −0, infinities, extreme integers, NaN.
            let edge = ArchiveRecord(
                inverter: "roof", dateTime: 1_600_000_000, interval: 60, count: 3,
                fields: [
                    FieldSummary(
                        name: "gridPower", extractor: .max, count: 2, sum: .float(.infinity), min: .float(-0.0),
                        max: .float(.infinity), avg: .float(.infinity), last: .float(-.infinity)),
                    FieldSummary(
                        name: "totalEnergy", extractor: .last, count: 3, sum: .integer(.min), min: .integer(.min),
                        max: .integer(.max), avg: .double(-0.0), last: .integer(1 << 53 + 1)),
                    FieldSummary(
                        name: "isoResistance", extractor: .avg, count: 1, sum: .float(.nan), min: .float(.nan),
                        max: .float(.nan), avg: .float(.nan), last: .float(.nan)),
                ])
            let pool = try V1Archive.create(at: path)
            try await pool.write { db in
                for (index, record) in (written + [edge]).enumerated() {
                    try V1Archive.insert(record, delivered: index % 3 != 0, into: db)
                }
            }
            // An open interval saved by v1 (JSON, unchanged by v2).
            var open = try Fixture.archiver(300)
            _ = open.add(Fixture.power("roof", at: 1_800_000_010, 494.79935))
            try await ArchiveStore.savePartialV1(open.snapshot(), into: pool)
            let columnsBefore = try columnsWithoutSummary(pool)
            _ = try await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try pool.close()
            let sizeBefore = try fileSize(path)

            let store = try ArchiveStore(path: path)
            let read = try await store.records(inverter: nil)
            let expected = (written + [edge]).sorted { ($0.dateTime, $0.inverter) < ($1.dateTime, $1.inverter) }
            #expect(read.map(exact) == expected.map(exact))
            let undelivered = (written + [edge]).enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
            #expect(try await store.undeliveredCount() == undelivered.count)
            #expect(
                try await store.undelivered(limit: 1_000).map(exact)
                    == undelivered.sorted { ($0.dateTime, $0.inverter) < ($1.dateTime, $1.inverter) }.map(exact))
            #expect(try await store.loadPartial() == open.snapshot())

            let queue = try DatabaseQueue(path: path)
            #expect(try columnsWithoutSummary(queue) == columnsBefore)
            try await queue.read { (db: Database) throws in
                #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == ["v1", "v2", "v3", "v4", "v5"])
                #expect(try String.fetchAll(db, sql: "SELECT DISTINCT typeof(summary) FROM archive") == ["blob"])
                #expect(try db.columns(in: "archive").first { $0.name == "summary" }?.type == "BLOB")
                #expect(try db.indexes(on: "archive").contains { $0.name == "archive_undelivered" })
                #expect(try Int.fetchOne(db, sql: "PRAGMA freelist_count") == 0)
                #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            }
            // The empty tables and indexes of later migrations (v4, v5) take a page each, whatever the data.
            let laterBytes = try await queue.read { db in
                let pages = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name IN ('announcement', 'event', 'last_alarms', 'sqlite_sequence')") ?? 0
                return pages * (try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
            }
            try queue.close()
            let sizeAfter = try fileSize(path)
            #expect((sizeAfter - laterBytes) * 3 < sizeBefore, "\(sizeBefore) bytes before, \(sizeAfter) after")

            // The migrated file takes new records, and reopening migrates nothing again.
            let next = try records(inverters: ["roof"], count: 42).last!
            #expect(try await store.insert(next))
            #expect(try await ArchiveStore(path: path).records(from: next.dateTime).map(exact) == [exact(next)])
        }
    }

    @Test("a v1 summary written by the old bridge, byte for byte, is read")
    func literalV1Summary() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            let json = #"{"count":2,"dateTime":1700000100,"fields":[{"avg":{"f":"494.79935"},"count":2,"#
                + #""extractor":"avg","last":{"f":"1e-05"},"max":{"f":"989.5987"},"min":{"f":"1e-05"},"#
                + #""name":"gridPower","sum":{"f":"989.5987"}},{"avg":{"d":"0.1"},"count":1,"extractor":"last","#
                + #""last":{"i":1700036000},"max":{"i":1700036000},"min":{"i":1700036000},"#
                + #""name":"inverterDateTime","sum":{"i":1700036000}},{"avg":{"d":"1.05"},"count":2,"#
                + #""extractor":"avg","last":{"d":"2.0"},"max":{"d":"2.0"},"min":{"d":"0.1"},"#
                + #""name":"customField","sum":{"d":"2.1"}}],"interval":300,"inverter":"inv1"}"#
            let pool = try V1Archive.create(at: path)
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO archive (inverter, dateTime, interval, count, gridPower, inverterDateTime, summary) "
                        + "VALUES ('inv1', 1700000100, 300, 2, 494.79934692382812, 1700036000, ?)",
                    arguments: [json])
            }
            try pool.close()
            let expected = ArchiveRecord(
                inverter: "inv1", dateTime: 1_700_000_100, interval: 300, count: 2,
                fields: [
                    FieldSummary(
                        name: "gridPower", extractor: .avg, count: 2, sum: .float(989.5987), min: .float(1e-05),
                        max: .float(989.5987), avg: .float(494.79935), last: .float(1e-05)),
                    FieldSummary(
                        name: "inverterDateTime", extractor: .last, count: 1, sum: .integer(1_700_036_000),
                        min: .integer(1_700_036_000), max: .integer(1_700_036_000), avg: .double(0.1),
                        last: .integer(1_700_036_000)),
                    FieldSummary(
                        name: "customField", extractor: .avg, count: 2, sum: .double(2.1), min: .double(0.1),
                        max: .double(2), avg: .double(1.05), last: .double(2)),
                ])
            #expect(try await ArchiveStore(path: path).records().map(exact) == [exact(expected)])
        }
    }

    @Test("a v1 row whose JSON is damaged stops the migration, names the row, and leaves the file as it was")
    func damagedV1Row() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            let written = try records(inverters: ["roof"], count: 3)
            let pool = try V1Archive.create(at: path)
            try await pool.write { db in
                for record in written { try V1Archive.insert(record, into: db) }
                try db.execute(
                    sql: "UPDATE archive SET summary = '{oops' WHERE dateTime = ?", arguments: [written[1].dateTime])
            }
            try pool.close()
            let error = #expect(throws: ArchiveStoreError.self) { try ArchiveStore(path: path) }
            guard case .unreadableRecord(let reported, let inverter, let dateTime, _) = error else {
                Issue.record("expected unreadableRecord, got \(String(describing: error))")
                return
            }
            #expect(reported == path)
            #expect(inverter == "roof")
            #expect(dateTime == written[1].dateTime)
            #expect(error?.description.contains("DELETE FROM archive WHERE inverter = 'roof'") == true)
            try await DatabaseQueue(path: path).read { (db: Database) throws in
                #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == ["v1"])
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archive WHERE typeof(summary) = 'text'") == 3)
            }

            // Deleting the row, as the message says, lets the migration run.
            try await DatabaseQueue(path: path).write { db in
                try db.execute(sql: "DELETE FROM archive WHERE dateTime = ?", arguments: [written[1].dateTime])
            }
            let records = try await ArchiveStore(path: path).records()
            #expect(records.map(exact) == [written[0], written[2]].map(exact))
        }
    }
}

extension ArchiveStore {
    /// Saves open intervals as the v1 bridge did (JSON in `open_interval`), straight into `pool`.
    fileprivate static func savePartialV1(_ intervals: [IntervalAccumulator], into pool: DatabasePool) async throws {
        let states = try intervals.map { (inverter: $0.inverter, state: String(decoding: try JSONEncoder().encode($0), as: UTF8.self)) }
        try await pool.write { db in
            for state in states {
                try db.execute(
                    sql: "INSERT INTO open_interval (inverter, state) VALUES (?, ?)", arguments: [state.inverter, state.state])
            }
        }
    }
}

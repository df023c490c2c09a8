import GRDB

/// The archive database's schema and its migrations.
///
/// Version 1 (`summary` became a BLOB in version 2):
/// ```sql
/// CREATE TABLE archive (
///     inverter TEXT NOT NULL,
///     dateTime INTEGER NOT NULL,          -- interval end, Unix s
///     interval INTEGER NOT NULL,          -- seconds
///     count INTEGER NOT NULL,             -- loop packets in the interval
///     string1Voltage REAL, …, griddcFrequency REAL,   -- one column per canonical field:
///     peakPower REAL, dayPeakPower REAL, gridnphVoltage REAL,   -- its primary value
///     energy REAL,
///     dayEnergy INTEGER, …, partialEnergy INTEGER, inverterDateTime INTEGER,
///     summary TEXT NOT NULL,              -- the whole ArchiveRecord as JSON
///     delivered INTEGER NOT NULL DEFAULT 0,
///     PRIMARY KEY (inverter, dateTime));
/// CREATE INDEX archive_undelivered ON archive (dateTime, inverter) WHERE delivered = 0;
/// CREATE TABLE open_interval (inverter TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL);
/// ```
/// The field columns follow the WeeWX Aurora schema (without its never-filled `efficiency`,
/// `in1Power`, `in2Power`), plus the fields it lacked. A field without a column is kept in
/// `summary` only.
///
/// Version 2 rebuilds `archive` with the same columns except `summary BLOB NOT NULL`: every
/// field's statistics in the compact binary ``SummaryBlob`` form instead of JSON (the file is
/// about 7.5 times smaller; see there for why and the format). Existing rows are converted in place, and the
/// file is then vacuumed (see ``migrate(_:)``). `open_interval` is unchanged (JSON, one small
/// row per inverter).
///
/// Version 3 adds the energy counters' state, one row per inverter serial number, the
/// ``CounterGuard`` as JSON (high-water mark of `totalEnergy`, last good counters, the `energy`
/// baseline with its inverter date):
/// ```sql
/// CREATE TABLE counter_state (serialNumber TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL);
/// ```
///
/// Version 5 adds the event log (see `BridgeEvent`) and each inverter's last-alarms list as
/// last read (command 86), by serial number, so that a restart records none of its entries again:
/// ```sql
/// CREATE TABLE event (
///     id INTEGER PRIMARY KEY AUTOINCREMENT,   -- the order events happened and are published in
///     dateTime INTEGER NOT NULL,              -- Unix s
///     source TEXT NOT NULL,                   -- the inverter's name, or "bridge"
///     type TEXT NOT NULL,                     -- event_type
///     payload TEXT NOT NULL,                  -- the published JSON
///     delivered INTEGER NOT NULL DEFAULT 0);
/// CREATE INDEX event_undelivered ON event (id) WHERE delivered = 0;
/// CREATE INDEX event_time ON event (dateTime);
/// CREATE TABLE last_alarms (serialNumber TEXT PRIMARY KEY NOT NULL, codes BLOB NOT NULL);
/// ```
///
/// Migrations are named `v1`, `v2`, …; a registered migration is never edited.
enum ArchiveSchema {
    /// The columns of `archive` that are not field values.
    static let fixedColumns: Set<String> = ["inverter", "dateTime", "interval", "count", "summary", "delivered"]

    /// The field columns created by `v1`, with their SQL types.
    private static let v1FieldColumns: [(name: String, type: Database.ColumnType)] =
        [
            "string1Voltage", "string1Current", "string1Power",
            "string2Voltage", "string2Current", "string2Power",
            "gridVoltage", "gridCurrent", "gridPower", "gridFrequency",
            "inverterTemp", "boosterTemp", "bulkVoltage", "isoResistance",
            "bulkmidVoltage", "bulkdcVoltage", "leakdcCurrent", "leakCurrent",
            "griddcVoltage", "gridavgVoltage", "gridnVoltage", "griddcFrequency",
            "peakPower", "dayPeakPower", "gridnphVoltage", "energy",
        ].map { ($0, .real) }
        + [
            "dayEnergy", "weekEnergy", "monthEnergy", "yearEnergy", "totalEnergy", "partialEnergy",
            "inverterDateTime",
        ].map { ($0, .integer) }

    /// Brings the database up to the current schema (doing nothing if it is current).
    ///
    /// When this converted a `v1` file, it then runs `VACUUM`, so that the space the JSON
    /// summaries took goes back to the file system (the file shrinks to about an eighth), and
    /// truncates the write-ahead log that the conversion and the vacuum filled. Conversion and
    /// vacuum take about 75 s per inverter-year in a debug build on a desktop CPU (6 s for
    /// 8 640 records), once; more on a Raspberry Pi. A failed vacuum (e.g. too little free space for
    /// the copy it makes) is not an error: the file keeps its old size, SQLite reuses the free
    /// pages for new records, and `sqlite3 FILE VACUUM` reclaims them later.
    /// - Throws: ``ArchiveStoreError/unreadableRecord(path:inverter:dateTime:reason:)`` for a v1
    ///   row whose summary is not valid JSON (nothing is converted then), or GRDB's error.
    static func migrate(_ pool: DatabasePool) throws {
        let migrator = migrator(path: pool.path)
        let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        try migrator.migrate(pool)
        guard applied.contains("v1"), !applied.contains("v2") else { return }
        try? pool.vacuum()
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// The migrations, from an empty file to the current schema.
    /// - Parameter path: The database file, for the errors of migration `v2`.
    static func migrator(path: String) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "archive") { table in
                table.column("inverter", .text).notNull()
                table.column("dateTime", .integer).notNull()
                table.column("interval", .integer).notNull()
                table.column("count", .integer).notNull()
                for column in v1FieldColumns {
                    table.column(column.name, column.type)
                }
                table.column("summary", .text).notNull()
                table.column("delivered", .integer).notNull().defaults(to: 0)
                table.primaryKey(["inverter", "dateTime"])
            }
            try db.execute(
                sql: "CREATE INDEX archive_undelivered ON archive (dateTime, inverter) WHERE delivered = 0")
            try db.create(table: "open_interval") { table in
                table.column("inverter", .text).notNull().primaryKey()
                table.column("state", .text).notNull()
            }
        }
        migrator.registerMigration("v2") { db in
            try db.create(table: "archive_v2") { table in
                table.column("inverter", .text).notNull()
                table.column("dateTime", .integer).notNull()
                table.column("interval", .integer).notNull()
                table.column("count", .integer).notNull()
                for column in v1FieldColumns {
                    table.column(column.name, column.type)
                }
                table.column("summary", .blob).notNull()
                table.column("delivered", .integer).notNull().defaults(to: 0)
                table.primaryKey(["inverter", "dateTime"])
            }
            try convertV1Summaries(db, path: path)
            try db.drop(table: "archive")
            try db.rename(table: "archive_v2", to: "archive")
            try db.execute(
                sql: "CREATE INDEX archive_undelivered ON archive (dateTime, inverter) WHERE delivered = 0")
        }
        migrator.registerMigration("v3") { db in
            try db.create(table: "counter_state") { table in
                table.column("serialNumber", .text).notNull().primaryKey()
                table.column("state", .text).notNull()
            }
        }
        migrator.registerMigration("v4") { db in
            try db.create(table: "announcement") { table in
                table.column("topic", .text).notNull().primaryKey()
                table.column("kind", .text).notNull()
                table.column("owner", .text).notNull()
            }
            // A database that already holds data was used by a bridge that recorded nothing
            // (before v4, always per-entity discovery): remember to assume its announcements.
            let used = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM archive) OR EXISTS (SELECT 1 FROM counter_state)") ?? false
            if used {
                try db.execute(
                    sql: "INSERT INTO announcement (topic, kind, owner) VALUES ('', ?, '')",
                    arguments: [ArchiveStore.unrecordedKind])
            }
        }
        migrator.registerMigration("v5") { db in
            try db.create(table: "event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("dateTime", .integer).notNull()
                table.column("source", .text).notNull()
                table.column("type", .text).notNull()
                table.column("payload", .text).notNull()
                table.column("delivered", .integer).notNull().defaults(to: 0)
            }
            try db.execute(sql: "CREATE INDEX event_undelivered ON event (id) WHERE delivered = 0")
            try db.execute(sql: "CREATE INDEX event_time ON event (dateTime)")
            try db.create(table: "last_alarms") { table in
                table.column("serialNumber", .text).notNull().primaryKey()
                table.column("codes", .blob).notNull()
            }
        }
        return migrator
    }

    /// Copies every row of the v1 `archive` into `archive_v2`, in primary-key order, its JSON
    /// summary converted to a ``SummaryBlob``.
    private static func convertV1Summaries(_ db: Database, path: String) throws {
        let copied = ["inverter", "dateTime", "interval", "count"] + v1FieldColumns.map(\.name) + ["delivered"]
        let list = copied.map { "\"\($0)\"" }.joined(separator: ", ")
        let insert = try db.makeStatement(
            sql: "INSERT INTO archive_v2 (\(list), summary) VALUES ("
                + Array(repeating: "?", count: copied.count + 1).joined(separator: ", ") + ")")
        let rows = try Row.fetchCursor(db, sql: "SELECT \(list), summary FROM archive ORDER BY inverter, dateTime")
        while let row = try rows.next() {
            let inverter: String = row["inverter"]
            let dateTime: Int64 = row["dateTime"]
            let fields: [FieldSummary]
            do {
                fields = try V1Summary(json: row["summary"]).fields
            } catch {
                throw ArchiveStoreError.unreadableRecord(
                    path: path, inverter: inverter, dateTime: dateTime, reason: String(describing: error))
            }
            var values: [DatabaseValue] = copied.indices.map { row[$0] }
            values.append(SummaryBlob.encode(fields, recordCount: row["count"]).databaseValue)
            try insert.execute(arguments: StatementArguments(values))
        }
    }
}

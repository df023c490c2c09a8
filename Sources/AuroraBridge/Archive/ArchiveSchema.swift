import GRDB

/// The archive database's schema and its migrations.
///
/// Version 1:
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
/// `summary` only. Migrations are named `v1`, `v2`, …; a registered migration is never edited.
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

    /// The migrations, from an empty file to the current schema.
    static var migrator: DatabaseMigrator {
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
        return migrator
    }
}

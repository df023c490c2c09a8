import GRDB

/// The archive's SQLite file read directly with SQL, as a user's `sqlite3` would, to check what
/// the bridge stored independently of `ArchiveStore`.
struct ArchiveDatabase {
    /// One row of the `archive` table.
    struct Row {
        let inverter: String
        let dateTime: Int64
        let interval: Int64
        let count: Int
        let delivered: Bool
        /// Every field column (not the bookkeeping ones), `NULL` included.
        let fields: [String: DatabaseValue]
    }

    let path: String

    /// The columns of `archive` that are not field values.
    static let bookkeeping: Set<String> = ["inverter", "dateTime", "interval", "count", "summary", "delivered"]

    /// Every row of `archive`, by `dateTime` then inverter.
    func rows() throws -> [Row] {
        try queue().read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT * FROM archive ORDER BY dateTime, inverter").map { row in
                var fields: [String: DatabaseValue] = [:]
                for column in row.columnNames where !Self.bookkeeping.contains(column) {
                    fields[column] = row[column] as DatabaseValue
                }
                return Row(
                    inverter: row["inverter"], dateTime: row["dateTime"], interval: row["interval"],
                    count: row["count"], delivered: row["delivered"] as Int64 == 1, fields: fields)
            }
        }
    }

    /// The result of `PRAGMA integrity_check` (`ok` for a sound file).
    func integrityCheck() throws -> String {
        try queue().read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// The rows a query returns, each a column → value map.
    func query(_ sql: String) throws -> [[String: DatabaseValue]] {
        try queue().read { db in
            try GRDB.Row.fetchAll(db, sql: sql).map { row in
                Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as DatabaseValue) })
            }
        }
    }

    /// The answer to a query returning one integer.
    func integer(_ sql: String) throws -> Int64? {
        try queue().read { db in try Int64.fetchOne(db, sql: sql) }
    }

    private func queue() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}

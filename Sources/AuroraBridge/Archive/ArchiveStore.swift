import Foundation
import GRDB

/// The archive's SQLite database: records waiting for the broker, records already delivered
/// (kept for `archive list/export` until pruned) and the open intervals saved on shutdown.
///
/// Records are inserted before they are published and marked delivered when the broker
/// acknowledges them; ``undelivered(limit:)`` gives the backlog to replay, oldest first. The
/// database is in WAL mode, so readers (`archive list`) never block the daemon's writes.
///
/// Schema (``ArchiveSchema``, version 2): table `archive` has one row per inverter per interval,
/// primary key (`inverter`, `dateTime`), with `interval` and `count`, one column per canonical
/// loop field holding the field's primary value (`REAL` for measures and `energy`, `INTEGER` for
/// the energy counters and `inverterDateTime`; a float is stored as the `Double` of the same
/// value), `summary` (every field's statistics as a ``SummaryBlob``, exact: records are read back
/// from it and the bookkeeping columns) and `delivered` (0 or 1). A field without a column is
/// kept in `summary` only. Table `open_interval` holds one saved ``IntervalAccumulator`` per
/// inverter as JSON (`state`).
///
/// - Important: Every method runs on GRDB's own dispatch queues and suspends the caller
///   meanwhile; none blocks the cooperative thread pool. Only ``init(path:busyTimeout:)`` is synchronous.
public struct ArchiveStore: Sendable {
    /// How long a write waits for another connection's lock unless told otherwise (and so the
    /// default of `[archive] busy_timeout`).
    public static let defaultBusyTimeout = Duration.seconds(5)

    /// The database file.
    public let path: String
    /// The connection pool (internal: the store's extensions use it).
    let pool: DatabasePool
    /// The field columns of `archive` (every column that is not bookkeeping).
    private let fieldColumns: Set<String>

    /// Opens the database at `path`, creating it and its folder if missing, and migrates its
    /// schema to the current version (doing nothing if it is current; converting and vacuuming
    /// a version 1 file once, see ``ArchiveSchema/migrate(_:)``).
    /// - Parameters:
    ///   - path: The database file, e.g. `/var/lib/aurora-bridge/archive.sqlite`.
    ///   - busyTimeout: How long a write waits for another connection's lock (a `sqlite3`
    ///     session, a backup, `aurora-bridge archive` while the daemon runs) before it fails.
    /// - Throws: ``ArchiveStoreError/cannotCreateDirectory(path:reason:)`` or
    ///   ``ArchiveStoreError/cannotOpen(path:reason:)``, naming the path;
    ///   ``ArchiveStoreError/unreadableRecord(path:inverter:dateTime:reason:)`` if a version 1 row
    ///   cannot be converted (the file is left as it was).
    public init(path: String, busyTimeout: Duration = defaultBusyTimeout) throws(ArchiveStoreError) {
        self.path = path
        var configuration = Configuration()
        let (seconds, attoseconds) = busyTimeout.components
        configuration.busyMode = .timeout(Double(seconds) + Double(attoseconds) / 1e18)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateDirectory(path: folder, reason: Self.reason(error))
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try ArchiveSchema.migrate(pool)
            fieldColumns = try pool.read { db in
                Set(try db.columns(in: "archive").map(\.name)).subtracting(ArchiveSchema.fixedColumns)
            }
        } catch let error as ArchiveStoreError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    /// Stores a record, not yet delivered unless `delivered` says so (a record the broker
    /// acknowledged while the database could not be written).
    ///
    /// Idempotent: a record for the same inverter and `dateTime` as a stored one is ignored, and
    /// the stored one (with its delivered flag) is kept.
    /// - Returns: Whether the record was stored (`false` if one was already there).
    @discardableResult
    public func insert(_ record: ArchiveRecord, delivered: Bool = false) async throws(ArchiveStoreError) -> Bool {
        let (sql, arguments) = insertion(record, delivered: delivered)
        return try await write("insert a record") { db in
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount > 0
        }
    }

    /// Stores `records`, not yet delivered, in one transaction (a bulk load: an import, the
    /// benchmark's backlog); as ``insert(_:delivered:)`` for each.
    /// - Returns: How many were stored (records already there are kept).
    @discardableResult
    public func insert(contentsOf records: [ArchiveRecord]) async throws(ArchiveStoreError) -> Int {
        let statements = records.map { insertion($0, delivered: false) }
        return try await write("insert records") { db in
            var stored = 0
            for (sql, arguments) in statements {
                try db.execute(sql: sql, arguments: arguments)
                stored += db.changesCount
            }
            return stored
        }
    }

    /// The `INSERT OR IGNORE` of `record`.
    private func insertion(_ record: ArchiveRecord, delivered: Bool) -> (String, StatementArguments) {
        let summary = SummaryBlob.encode(record.fields, recordCount: record.count)
        var columns = ["inverter", "dateTime", "interval", "count", "summary", "delivered"]
        var values: [(any DatabaseValueConvertible)?] = [
            record.inverter, record.dateTime, record.interval, record.count, summary, delivered ? 1 : 0,
        ]
        for field in record.fields where fieldColumns.contains(field.name) {
            columns.append(field.name)
            switch field.value {
            case .integer(let integer): values.append(integer)
            case .float, .double: values.append(field.value.double)
            }
        }
        let sql = "INSERT OR IGNORE INTO archive (\(columns.map(Self.quoted).joined(separator: ", "))) "
            + "VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        return (sql, StatementArguments(values))
    }

    /// Marks a record delivered (the broker acknowledged it).
    /// - Returns: Whether a stored, undelivered record was marked.
    @discardableResult
    public func markDelivered(inverter: String, dateTime: Int64) async throws(ArchiveStoreError) -> Bool {
        try await write("mark a record delivered") { db in
            try db.execute(
                sql: "UPDATE archive SET delivered = 1 WHERE inverter = ? AND dateTime = ? AND delivered = 0",
                arguments: [inverter, dateTime])
            return db.changesCount > 0
        }
    }

    /// The oldest records not yet delivered, across inverters, by `dateTime` then inverter.
    /// - Parameter limit: At most this many records.
    public func undelivered(limit: Int) async throws(ArchiveStoreError) -> [ArchiveRecord] {
        let rows = try await read("read undelivered records") { db in
            try Self.fetchSummaries(
                db,
                sql: "SELECT inverter, dateTime, interval, count, summary FROM archive WHERE delivered = 0 "
                    + "ORDER BY dateTime, inverter LIMIT ?",
                arguments: [limit])
        }
        return try decode(rows)
    }

    /// The oldest records not yet delivered that come after `key` (by `dateTime` then
    /// inverter), for reading the backlog page by page.
    /// - Parameters:
    ///   - key: Only records after this one; from the oldest if nil.
    ///   - limit: At most this many records.
    public func undelivered(after key: ArchiveKey?, limit: Int) async throws(ArchiveStoreError) -> [ArchiveRecord] {
        guard let key else { return try await undelivered(limit: limit) }
        let rows = try await read("read undelivered records") { db in
            try Self.fetchSummaries(
                db,
                sql: "SELECT inverter, dateTime, interval, count, summary FROM archive WHERE delivered = 0 "
                    + "AND (dateTime > ?1 OR (dateTime = ?1 AND inverter > ?2)) ORDER BY dateTime, inverter LIMIT ?3",
                arguments: [key.dateTime, key.inverter, limit])
        }
        return try decode(rows)
    }

    /// How many records are waiting for delivery (the backlog in the bridge's stats).
    public func undeliveredCount() async throws(ArchiveStoreError) -> Int {
        try await read("count undelivered records") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM archive WHERE delivered = 0") ?? 0
        }
    }

    /// The stored records, delivered or not, by `dateTime` then inverter.
    /// - Parameters:
    ///   - inverter: Only this inverter's records; all inverters if `nil`.
    ///   - from: Only records whose `dateTime` (interval end) is ≥ this, if given.
    ///   - to: Only records whose `dateTime` is ≤ this, if given.
    public func records(inverter: String? = nil, from: Int64? = nil, to: Int64? = nil)
        async throws(ArchiveStoreError) -> [ArchiveRecord]
    {
        try await records(inverter: inverter, from: from, to: to, after: nil, limit: -1)  // SQLite: no limit
    }

    /// Like ``records(inverter:from:to:)``, one page at a time: at most `limit` records that
    /// come after `key` (by `dateTime` then inverter; from the first if nil); a negative
    /// `limit` means all.
    public func records(inverter: String?, from: Int64?, to: Int64?, after key: ArchiveKey?, limit: Int)
        async throws(ArchiveStoreError) -> [ArchiveRecord]
    {
        let rows = try await read("read records") { db in
            try Self.fetchSummaries(
                db,
                sql: "SELECT inverter, dateTime, interval, count, summary FROM archive "
                    + "WHERE (?1 IS NULL OR inverter = ?1) AND (?2 IS NULL OR dateTime >= ?2) "
                    + "AND (?3 IS NULL OR dateTime <= ?3) "
                    + "AND (?4 IS NULL OR dateTime > ?4 OR (dateTime = ?4 AND inverter > ?5)) "
                    + "ORDER BY dateTime, inverter LIMIT ?6",
                arguments: [inverter, from, to, key?.dateTime, key?.inverter, limit])
        }
        return try decode(rows)
    }

    /// Deletes the delivered records whose `dateTime` is before `cutoff` (retention: the daemon
    /// passes now − `keep_days` × 86 400). Undelivered records are always kept.
    /// - Returns: How many records were deleted.
    @discardableResult
    public func prune(deliveredBefore cutoff: Int64) async throws(ArchiveStoreError) -> Int {
        try await write("prune delivered records") { db in
            try db.execute(sql: "DELETE FROM archive WHERE delivered = 1 AND dateTime < ?", arguments: [cutoff])
            return db.changesCount
        }
    }

    /// Saves the open intervals (``Archiver/snapshot()``), replacing any saved before.
    public func savePartial(_ intervals: [IntervalAccumulator]) async throws(ArchiveStoreError) {
        var rows: [(inverter: String, state: String)] = []
        for interval in intervals {
            rows.append((interval.inverter, try json(interval)))
        }
        let saved = rows
        try await write("save open intervals") { db in
            try db.execute(sql: "DELETE FROM open_interval")
            for row in saved {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO open_interval (inverter, state) VALUES (?, ?)",
                    arguments: [row.inverter, row.state])
            }
        }
    }

    /// The saved open intervals, by inverter name, for ``Archiver/restore(_:)``.
    public func loadPartial() async throws(ArchiveStoreError) -> [IntervalAccumulator] {
        let rows = try await read("read saved open intervals") { db in
            try Row.fetchAll(db, sql: "SELECT inverter, state FROM open_interval ORDER BY inverter")
                .map { row -> (inverter: String, state: String) in (row["inverter"], row["state"]) }
        }
        let decoder = JSONDecoder()
        var intervals: [IntervalAccumulator] = []
        for (inverter, state) in rows {
            do {
                intervals.append(try decoder.decode(IntervalAccumulator.self, from: Data(state.utf8)))
            } catch {
                throw .unreadablePartial(path: path, inverter: inverter, reason: Self.reason(error))
            }
        }
        return intervals
    }

    /// Deletes the saved open intervals (once restored).
    public func clearPartial() async throws(ArchiveStoreError) {
        try await write("clear saved open intervals") { db in
            try db.execute(sql: "DELETE FROM open_interval")
        }
    }

    // MARK: - Helpers

    func write<T: Sendable>(
        _ operation: String, _ updates: @escaping @Sendable (Database) throws -> T
    ) async throws(ArchiveStoreError) -> T {
        do {
            return try await pool.write(updates)
        } catch is CancellationError {
            throw .cancelled(operation: operation)
        } catch {
            throw .failed(operation: operation, path: path, reason: Self.reason(error))
        }
    }

    /// Runs `value` on a reader connection; `operation` names it in errors.
    func read<T: Sendable>(
        _ operation: String, _ value: @escaping @Sendable (Database) throws -> T
    ) async throws(ArchiveStoreError) -> T {
        do {
            return try await pool.read(value)
        } catch is CancellationError {
            throw .cancelled(operation: operation)
        } catch {
            throw .failed(operation: operation, path: path, reason: Self.reason(error))
        }
    }

    private func json(_ value: some Encodable) throws(ArchiveStoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .failed(operation: "encode as JSON", path: path, reason: Self.reason(error))
        }
    }

    /// A stored record as read, before its summary is decoded.
    private typealias StoredSummary = (inverter: String, dateTime: Int64, interval: Int64, count: Int, summary: Data)

    private static func fetchSummaries(
        _ db: Database, sql: String, arguments: StatementArguments
    ) throws -> [StoredSummary] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map {
            // A summary that is not a blob (e.g. replaced by hand) reads as empty, so that
            // decoding reports the row instead of crashing.
            ($0["inverter"], $0["dateTime"], $0["interval"], $0["count"], Data.fromDatabaseValue($0["summary"]) ?? Data())
        }
    }

    private func decode(_ rows: [StoredSummary]) throws(ArchiveStoreError) -> [ArchiveRecord] {
        var records: [ArchiveRecord] = []
        records.reserveCapacity(rows.count)
        for row in rows {
            do {
                let fields = try SummaryBlob.decode(row.summary, recordCount: row.count)
                records.append(
                    ArchiveRecord(
                        inverter: row.inverter, dateTime: row.dateTime, interval: row.interval, count: row.count,
                        fields: fields))
            } catch {
                throw .unreadableRecord(
                    path: path, inverter: row.inverter, dateTime: row.dateTime, reason: Self.reason(error))
            }
        }
        return records
    }

    private static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacing("\"", with: "\"\"") + "\""
    }

    private static func reason(_ error: any Error) -> String {
        String(describing: error)
    }
}

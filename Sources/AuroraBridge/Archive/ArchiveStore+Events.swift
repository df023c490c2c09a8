import Foundation
import GRDB

/// An event as stored: its place in the log and the payload published for it.
public struct StoredEvent: Sendable, Hashable {
    /// Its place in the log: events are published, and listed, in this order.
    public var id: Int64
    /// When it happened, Unix s.
    public var dateTime: Int64
    /// The inverter's name, or `bridge`.
    public var source: String
    /// Its `event_type`.
    public var type: String
    /// The JSON published for it.
    public var payload: String
}

/// The event log (table `event`, schema version 5) and each inverter's last-alarms list as last
/// read (table `last_alarms`).
extension ArchiveStore {
    /// Stores an event, not yet delivered: when it happened (Unix s), whose, its type and the
    /// JSON to publish; returns its place in the log.
    @discardableResult
    public func insertEvent(dateTime: Int64, source: String, type: String, payload: String) async throws(ArchiveStoreError) -> Int64 {
        try await write("store an event") { db in
            try db.execute(
                sql: "INSERT INTO event (dateTime, source, type, payload) VALUES (?, ?, ?, ?)",
                arguments: [dateTime, source, type, payload])
            return db.lastInsertedRowID
        }
    }

    /// Up to `limit` undelivered events after `id` (from the start: nil), in order.
    public func undeliveredEvents(after id: Int64?, limit: Int) async throws(ArchiveStoreError) -> [StoredEvent] {
        try await read("read undelivered events") { db in
            try Self.events(db, where: "delivered = 0 AND id > ?", [id ?? 0], order: "id", limit: limit)
        }
    }

    /// How many events wait for the broker.
    public func undeliveredEventCount() async throws(ArchiveStoreError) -> Int {
        try await read("count undelivered events") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE delivered = 0") ?? 0
        }
    }

    /// Marks the event `id` delivered (the broker acknowledged it).
    public func markEventDelivered(id: Int64) async throws(ArchiveStoreError) {
        try await write("mark an event delivered") { db in
            try db.execute(sql: "UPDATE event SET delivered = 1 WHERE id = ?", arguments: [id])
        }
    }

    /// The stored events from `since` (Unix s) on, of `source` and `type` when given, oldest
    /// first; the newest `limit` when given.
    public func events(since: Int64? = nil, source: String? = nil, type: String? = nil, limit: Int? = nil)
        async throws(ArchiveStoreError) -> [StoredEvent]
    {
        var conditions = ["dateTime >= ?"]
        var arguments: [any DatabaseValueConvertible] = [since ?? Int64.min]
        if let source {
            conditions.append("source = ?")
            arguments.append(source)
        }
        if let type {
            conditions.append("type = ?")
            arguments.append(type)
        }
        let condition = conditions.joined(separator: " AND ")
        let values = StatementArguments(arguments.map { $0.databaseValue })
        let newestFirst = try await read("list events") { db in
            try Self.events(db, where: condition, values, order: "id DESC", limit: limit ?? Int.max)
        }
        return newestFirst.reversed()
    }

    /// Deletes the delivered events from before `cutoff` (retention, as for records).
    @discardableResult
    public func pruneEvents(deliveredBefore cutoff: Int64) async throws(ArchiveStoreError) -> Int {
        try await write("prune delivered events") { db in
            try db.execute(sql: "DELETE FROM event WHERE delivered = 1 AND dateTime < ?", arguments: [cutoff])
            return db.changesCount
        }
    }

    /// The last-alarms list of the inverter with `serialNumber` as last read, or nil if none was.
    public func lastAlarms(serialNumber: String) async throws(ArchiveStoreError) -> [UInt8]? {
        try await read("read the last alarms") { db in
            try Data.fetchOne(db, sql: "SELECT codes FROM last_alarms WHERE serialNumber = ?", arguments: [serialNumber]).map(Array.init)
        }
    }

    /// Stores the last-alarms list of the inverter with `serialNumber` as just read.
    public func saveLastAlarms(_ codes: [UInt8], serialNumber: String) async throws(ArchiveStoreError) {
        try await write("store the last alarms") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO last_alarms (serialNumber, codes) VALUES (?, ?)", arguments: [serialNumber, Data(codes)])
        }
    }

    private static func events(_ db: Database, where condition: String, _ arguments: StatementArguments, order: String, limit: Int) throws -> [StoredEvent] {
        try Row.fetchAll(
            db, sql: "SELECT id, dateTime, source, type, payload FROM event WHERE \(condition) ORDER BY \(order) LIMIT ?",
            arguments: arguments + [limit]
        ).map { row in
            StoredEvent(id: row["id"], dateTime: row["dateTime"], source: row["source"], type: row["type"], payload: row["payload"])
        }
    }
}

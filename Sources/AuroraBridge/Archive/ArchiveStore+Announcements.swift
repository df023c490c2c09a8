import GRDB

/// The retained topics the bridge announced (table `announcement`, schema version 4): discovery
/// configs and per-inverter status topics, so that a later configuration clears those it no
/// longer announces and `aurora-bridge discovery remove` clears them all.
extension ArchiveStore {
    /// The kind of the row that says the database was used before announcements were recorded.
    static let unrecordedKind = "unrecorded"

    /// Whether the database was used by a bridge that recorded no announcements (an upgrade
    /// from before schema version 4), until the first ``recordAnnouncements(_:)``.
    public func announcementsUnrecorded() async throws(ArchiveStoreError) -> Bool {
        do {
            return try await pool.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM announcement WHERE kind = ?)", arguments: [Self.unrecordedKind]) ?? false
            }
        } catch {
            throw .failed(operation: "read the announced topics", path: path, reason: String(describing: error))
        }
    }

    /// Every recorded announcement, by topic; empty when none was ever recorded.
    public func announcements() async throws(ArchiveStoreError) -> [Announcement] {
        try await read("read the announced topics") { db in
            try Row.fetchAll(db, sql: "SELECT topic, kind, owner FROM announcement ORDER BY topic").compactMap { row in
                Announcement.Kind(rawValue: row["kind"]).map { Announcement(topic: row["topic"], kind: $0, owner: row["owner"]) }
            }
        }
    }

    /// Records `announcements` (replacing the kind and owner of a topic already recorded); the
    /// other recorded topics stay until ``forgetAnnouncements(topics:)``.
    public func recordAnnouncements(_ announcements: [Announcement]) async throws(ArchiveStoreError) {
        try await write("record the announced topics") { db in
            try db.execute(sql: "DELETE FROM announcement WHERE kind = ?", arguments: [Self.unrecordedKind])
            for announcement in announcements {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO announcement (topic, kind, owner) VALUES (?, ?, ?)",
                    arguments: [announcement.topic, announcement.kind.rawValue, announcement.owner])
            }
        }
    }

    /// Forgets `topics`, once the broker acknowledged their empty retained messages.
    public func forgetAnnouncements(topics: [String]) async throws(ArchiveStoreError) {
        try await write("forget the cleared topics") { db in
            for topic in topics {
                try db.execute(sql: "DELETE FROM announcement WHERE topic = ?", arguments: [topic])
            }
        }
    }
}

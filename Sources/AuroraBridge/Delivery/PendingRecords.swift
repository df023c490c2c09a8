/// Archive records the database could not take yet (busy beyond the timeout, full disk,
/// read-only or corrupt file), oldest first, each with whether the broker already has it.
///
/// Bounded: when ``limit`` records wait, adding one drops the oldest record the broker already
/// acknowledged (only its local copy is lost), or, if there is none, the oldest record (lost:
/// neither stored nor delivered). ``append(_:)`` returns what it dropped, for the log and the
/// `archiveDropped` counter.
public struct PendingRecords: Sendable {
    /// A record waiting to be written.
    public struct Entry: Sendable {
        /// The record.
        public let record: ArchiveRecord
        /// Whether the broker acknowledged every message of it.
        public var delivered: Bool
    }

    /// At most this many records wait.
    public let limit: Int
    /// The records, oldest first.
    public private(set) var entries: [Entry] = []

    /// An empty queue holding at most `limit` records (at least 1).
    public init(limit: Int = 10_000) { self.limit = max(limit, 1) }

    /// How many records wait.
    public var count: Int { entries.count }
    /// Whether none waits.
    public var isEmpty: Bool { entries.isEmpty }
    /// The oldest record, next to be written.
    public var first: Entry? { entries.first }

    /// Whether `key`'s record waits here.
    public func contains(_ key: ArchiveKey) -> Bool { index(of: key) != nil }

    /// Adds `record` (not delivered) at the end, replacing a waiting record with the same key.
    /// - Returns: The entry dropped to keep within ``limit``, if one was.
    public mutating func append(_ record: ArchiveRecord) -> Entry? {
        let key = ArchiveKey(record)
        if let index = index(of: key) {
            entries[index] = Entry(record: record, delivered: false)
            return nil
        }
        var dropped: Entry?
        if entries.count >= limit {
            let victim = entries.firstIndex(where: \.delivered) ?? entries.startIndex
            dropped = entries.remove(at: victim)
        }
        entries.append(Entry(record: record, delivered: false))
        return dropped
    }

    /// Notes that the broker acknowledged `key`'s record.
    /// - Returns: Whether the record waits here.
    @discardableResult
    public mutating func markDelivered(_ key: ArchiveKey) -> Bool {
        guard let index = index(of: key) else { return false }
        entries[index].delivered = true
        return true
    }

    /// Removes the oldest record (once written).
    public mutating func removeFirst() {
        if !entries.isEmpty { entries.removeFirst() }
    }

    private func index(of key: ArchiveKey) -> Int? {
        entries.firstIndex { $0.record.dateTime == key.dateTime && $0.record.inverter == key.inverter }
    }
}

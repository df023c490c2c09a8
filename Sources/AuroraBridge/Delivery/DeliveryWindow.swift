import Mosquitto

/// The bookkeeping of records in flight to the broker: which message ids each record is still
/// waiting for, bounded in records and messages.
///
/// A record is complete (and may be marked delivered) only once every one of its ids was
/// acknowledged. libmosquitto's 16-bit ids wrap after 65 535 messages; the bounds keep far
/// fewer in flight, so an id is never reused while in flight. Should it be anyway, the window
/// does not guess: both records sharing the id are given up (``register(_:ids:)`` returns
/// them), their other ids are kept as orphans until acknowledged, and an orphan's
/// acknowledgement completes nothing. A given-up record stays undelivered and is sent again.
public struct DeliveryWindow<Key: Hashable & Sendable>: Sendable {
    /// What an acknowledgement did.
    public enum Outcome: Sendable, Equatable {
        /// The id was not in flight (an orphan's or a stranger's acknowledgement).
        case unknown
        /// The record still waits for other ids.
        case pending(Key)
        /// Every id of the record was acknowledged: it left the window.
        case complete(Key)
    }

    /// At most this many records in flight.
    public let recordLimit: Int
    /// At most this many messages in flight (unless a single record has more).
    public let messageLimit: Int
    /// The ids each record in flight still waits for.
    private var waiting: [Key: Set<MessageID>] = [:]
    /// The record of each id in flight.
    private var owners: [MessageID: Key] = [:]
    /// Ids of given-up records whose acknowledgements are still due, with how many are due.
    private var orphans: [MessageID: Int] = [:]

    /// A window of at most `records` records and `messages` messages in flight.
    public init(records: Int = 32, messages: Int = 4_096) {
        recordLimit = max(records, 1)
        messageLimit = max(messages, 1)
    }

    /// Records in flight.
    public var recordCount: Int { waiting.count }
    /// Message ids whose acknowledgement is due (orphans included).
    public var messageCount: Int { owners.count + orphans.values.reduce(0, +) }
    /// Whether nothing is in flight.
    public var isEmpty: Bool { waiting.isEmpty && orphans.isEmpty }
    /// The records in flight.
    public var keys: Dictionary<Key, Set<MessageID>>.Keys { waiting.keys }

    /// Whether a record of `messages` messages may be sent now. An empty window always has
    /// room, so a record larger than the message bound still goes.
    public func hasRoom(forMessages messages: Int) -> Bool {
        guard !waiting.isEmpty || !orphans.isEmpty else { return true }
        return waiting.count < recordLimit && messageCount + messages <= messageLimit
    }

    /// Whether `key` is in flight.
    public func contains(_ key: Key) -> Bool { waiting[key] != nil }

    /// Registers a record sent with message ids `ids` (not empty). A record registered again
    /// while in flight is given up first: acknowledgements of its earlier ids complete nothing.
    /// - Returns: The records given up because an id was already due (this record and the
    ///   one that had the id); empty normally.
    @discardableResult
    public mutating func register(_ key: Key, ids: [MessageID]) -> [Key] {
        abandon(key)
        var givenUp: [Key] = []
        var collided = false
        var own: Set<MessageID> = []
        for id in ids {
            if let other = owners[id] {
                abandon(other)
                givenUp.append(other)
            }
            if orphans[id] != nil || !own.insert(id).inserted { collided = true }
        }
        if collided {
            for id in ids { orphans[id, default: 0] += 1 }
            givenUp.append(key)
        } else {
            waiting[key] = own
            for id in own { owners[id] = key }
        }
        return givenUp
    }

    /// The broker acknowledged `id`.
    public mutating func acknowledge(_ id: MessageID) -> Outcome {
        if let due = orphans[id] {
            orphans[id] = due > 1 ? due - 1 : nil
            return .unknown
        }
        guard let key = owners.removeValue(forKey: id) else { return .unknown }
        waiting[key]?.remove(id)
        guard waiting[key]?.isEmpty == true else { return .pending(key) }
        waiting[key] = nil
        return .complete(key)
    }

    /// The broker refused `id` (an MQTT 5 reason code): its record leaves the window, not
    /// delivered, and its other ids become orphans.
    /// - Returns: The record given up, or nil if the id was not in flight.
    public mutating func reject(_ id: MessageID) -> Key? {
        if let due = orphans[id] {
            orphans[id] = due > 1 ? due - 1 : nil
            return nil
        }
        guard let key = owners.removeValue(forKey: id) else { return nil }
        waiting[key]?.remove(id)
        abandon(key)
        return key
    }

    /// Gives up `key`: it leaves the window and the acknowledgements of its ids still due
    /// complete nothing.
    public mutating func abandon(_ key: Key) {
        guard let ids = waiting.removeValue(forKey: key) else { return }
        for id in ids {
            owners[id] = nil
            orphans[id, default: 0] += 1
        }
    }

    /// Forgets everything in flight (the messages are gone: a new client, a lost session).
    /// - Returns: The records that were in flight.
    public mutating func reset() -> [Key] {
        let keys = Array(waiting.keys)
        waiting = [:]
        owners = [:]
        orphans = [:]
        return keys
    }
}

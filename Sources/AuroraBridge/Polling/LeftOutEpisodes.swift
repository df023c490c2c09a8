/// Remembers which readings are in a bad episode (left out poll after poll), so that the log
/// says so once when an episode begins and once when it ends, not on every poll.
///
/// An episode is one (inverter, field, reason). It begins with the first packet that leaves the
/// field out for that reason and ends with the first packet of that inverter that has the field
/// again. A packet missing the field for another cause (a failed read) changes nothing.
public struct LeftOutEpisodes: Sendable, Hashable {
    /// What an episode is about.
    public struct Key: Sendable, Hashable {
        /// The inverter's configured name.
        public var inverter: String
        /// The loop field name.
        public var field: String
        /// Why the field is left out.
        public var reason: LeftOutReason
    }

    /// A change to log.
    public enum Change: Sendable, Hashable {
        /// An episode began with this reading.
        case began(Key, value: String)
        /// The episode ended: the field is in a packet again.
        case ended(Key)
    }

    private var open: Set<Key> = []

    /// No episode open.
    public init() {}

    /// Notes one packet of `inverter`: what it left out and the fields it has.
    /// - Returns: The episodes that began or ended with it.
    public mutating func note(inverter: String, leftOut: [LeftOutReading], fields: some Sequence<String>) -> [Change] {
        var changes: [Change] = []
        for reading in leftOut {
            let key = Key(inverter: inverter, field: reading.field, reason: reading.reason)
            if open.insert(key).inserted { changes.append(.began(key, value: reading.value)) }
        }
        let present = Set(fields)
        for key in open.sorted(by: { ($0.field, $0.reason.rawValue) < ($1.field, $1.reason.rawValue) })
        where key.inverter == inverter && present.contains(key.field) {
            open.remove(key)
            changes.append(.ended(key))
        }
        return changes
    }
}

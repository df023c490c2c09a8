/// Identifies an archive record: its inverter and interval end. Ordered as the store orders
/// records (by `dateTime`, then inverter).
public struct ArchiveKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The inverter's name.
    public let inverter: String
    /// The end of the interval, Unix seconds.
    public let dateTime: Int64

    /// The key of `inverter`'s record ending at `dateTime`.
    public init(inverter: String, dateTime: Int64) {
        self.inverter = inverter
        self.dateTime = dateTime
    }

    /// The key of `record`.
    public init(_ record: ArchiveRecord) {
        self.init(inverter: record.inverter, dateTime: record.dateTime)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.dateTime, lhs.inverter) < (rhs.dateTime, rhs.inverter)
    }

    public var description: String { "\(inverter)@\(dateTime)" }
}

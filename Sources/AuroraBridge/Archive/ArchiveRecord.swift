/// The summary of one inverter's loop packets over one archive interval.
///
/// A record exists only for an interval that had at least one packet. Its ``fields`` are in
/// the order they were first seen in the interval. Records are compared field by field, so a
/// record read back from the ``ArchiveStore`` equals the one written.
public struct ArchiveRecord: Sendable, Hashable {
    /// The inverter's configured name.
    public var inverter: String
    /// The end of the interval, in Unix seconds (see ``ArchiveInterval`` for the convention).
    public var dateTime: Int64
    /// The interval length in seconds.
    public var interval: Int64
    /// How many loop packets the interval had (≥ 1; fewer than usual for a partly filled one).
    public var count: Int
    /// Each field's statistics, in first-seen order.
    public var fields: [FieldSummary]

    /// A record from its parts.
    public init(inverter: String, dateTime: Int64, interval: Int64, count: Int, fields: [FieldSummary]) {
        self.inverter = inverter
        self.dateTime = dateTime
        self.interval = interval
        self.count = count
        self.fields = fields
    }

    /// The summary of the field `name`, if the interval had it.
    public subscript(name: String) -> FieldSummary? {
        fields.first { $0.name == name }
    }
}

import AuroraProtocol
/// One field's statistics over an archive interval, computed over the packets that had the field.
///
/// Values keep the loop's types: for an integer field (energy counters, `inverterDateTime`,
/// `energy` when every input was an integer) ``sum``, ``min``, ``max`` and ``last`` are
/// ``FieldValue/integer(_:)``. ``min``, ``max`` and ``last`` are always one of the input values
/// unchanged, so a float prints exactly as it did in the loop packet. ``sum`` and ``avg`` of
/// floats are computed in `Double` and rounded to `Float` (the inverter's own precision);
/// ``avg`` of integers is a ``FieldValue/double(_:)``; a field whose inputs mix types gives
/// doubles.
public struct FieldSummary: Sendable, Hashable {
    /// The canonical loop field name, e.g. `gridPower`.
    public var name: String
    /// Which statistic is the field's value (see ``value``).
    public var extractor: Extractor
    /// How many packets of the interval had the field (≥ 1).
    public var count: Int
    /// The total.
    public var sum: FieldValue
    /// The smallest value.
    public var min: FieldValue
    /// The largest value.
    public var max: FieldValue
    /// The mean, ``sum`` divided by ``count``.
    public var avg: FieldValue
    /// The value of the newest packet (by `dateTime`).
    public var last: FieldValue

    /// A summary from its parts.
    public init(
        name: String, extractor: Extractor, count: Int,
        sum: FieldValue, min: FieldValue, max: FieldValue, avg: FieldValue, last: FieldValue
    ) {
        self.name = name
        self.extractor = extractor
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.avg = avg
        self.last = last
    }

    /// The primary value: the statistic ``extractor`` names (``count`` as an integer).
    public var value: FieldValue {
        switch extractor {
        case .avg: avg
        case .min: min
        case .max: max
        case .last: last
        case .sum: sum
        case .count: .integer(Int64(count))
        }
    }

    /// Whether the archive payload also carries `<field>_min`, `_max` and `_avg`: true for a
    /// measure (primary `avg`, `min` or `max`), false for a counter (`last`, `sum`, `count`).
    public var publishesRange: Bool {
        switch extractor {
        case .avg, .min, .max: true
        case .last, .sum, .count: false
        }
    }
}

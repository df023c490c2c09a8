import AuroraProtocol
/// The running statistics of one field within one open archive interval.
///
/// Sums are kept twice: exactly in `Int64` while every input is an integer, and in `Double`
/// for everything else, so integer counters never lose a unit.
struct FieldAccumulator: Sendable, Hashable, Codable {
    /// The type every input so far shared; `double` once any input was a double or the
    /// inputs' types differ.
    enum Kind: String, Sendable, Hashable, Codable {
        case integer, float, double

        init(of value: FieldValue) {
            switch value {
            case .integer: self = .integer
            case .float: self = .float
            case .double: self = .double
            }
        }
    }

    /// The canonical loop field name.
    let name: String
    private(set) var count: Int
    private(set) var kind: Kind
    private var integerSum: Int64
    private var doubleSum: Double
    private var min: FieldValue
    private var max: FieldValue
    private var last: FieldValue
    private var lastDateTime: Int64

    /// An accumulator holding one value.
    init(name: String, value: FieldValue, at dateTime: Int64) {
        self.name = name
        count = 1
        kind = Kind(of: value)
        if case .integer(let integer) = value { integerSum = integer } else { integerSum = 0 }
        doubleSum = value.double
        min = value
        max = value
        last = value
        lastDateTime = dateTime
    }

    /// Adds the value a packet stamped `dateTime` had.
    mutating func add(_ value: FieldValue, at dateTime: Int64) {
        count += 1
        if kind != Kind(of: value) { kind = .double }
        if kind == .integer, case .integer(let integer) = value {
            let (total, overflow) = integerSum.addingReportingOverflow(integer)
            if overflow { kind = .double } else { integerSum = total }
        }
        doubleSum += value.double
        if value.double < min.double { min = value }
        if value.double > max.double { max = value }
        if dateTime >= lastDateTime {
            last = value
            lastDateTime = dateTime
        }
    }

    /// The field's summary, its primary value chosen by `extractor`.
    func summary(extractor: Extractor) -> FieldSummary {
        let mean = doubleSum / Double(count)
        let sum: FieldValue
        let avg: FieldValue
        switch kind {
        case .integer:
            sum = .integer(integerSum)
            avg = .double(Double(integerSum) / Double(count))
        case .float:
            sum = .float(Float(doubleSum))
            avg = .float(Float(mean))
        case .double:
            sum = .double(doubleSum)
            avg = .double(mean)
        }
        return FieldSummary(
            name: name, extractor: extractor, count: count,
            sum: sum, min: min, max: max, avg: avg, last: last)
    }

    private enum CodingKeys: String, CodingKey {
        case name, count, kind, integerSum, doubleSum, min, max, last, lastDateTime
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        count = try container.decode(Int.self, forKey: .count)
        guard count >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .count, in: container, debugDescription: "a field seen \(count) times cannot be saved")
        }
        kind = try container.decode(Kind.self, forKey: .kind)
        integerSum = try container.decode(Int64.self, forKey: .integerSum)
        doubleSum = try container.decode(StoredFieldValue.self, forKey: .doubleSum).value.double
        min = try container.decode(StoredFieldValue.self, forKey: .min).value
        max = try container.decode(StoredFieldValue.self, forKey: .max).value
        last = try container.decode(StoredFieldValue.self, forKey: .last).value
        lastDateTime = try container.decode(Int64.self, forKey: .lastDateTime)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(count, forKey: .count)
        try container.encode(kind, forKey: .kind)
        try container.encode(integerSum, forKey: .integerSum)
        try container.encode(StoredFieldValue(.double(doubleSum)), forKey: .doubleSum)
        try container.encode(StoredFieldValue(min), forKey: .min)
        try container.encode(StoredFieldValue(max), forKey: .max)
        try container.encode(StoredFieldValue(last), forKey: .last)
        try container.encode(lastDateTime, forKey: .lastDateTime)
    }
}

import AuroraBridge

/// What the archive should publish for one interval, computed independently of the bridge's
/// archive code from the loop packets a subscriber received.
///
/// The statistics are recomputed here from the published texts: min, max and last are the texts
/// of the loop values themselves; sums and means of floats are summed in `Double` in arrival
/// order and rounded to `Float` (the inverter's precision); sums of integers are exact and their
/// mean is a `Double`.
struct ArchiveExpectation {
    /// The interval's end (`dateTime` of its record).
    let end: Int64
    /// The interval length in seconds.
    let interval: Int64
    /// The loop packets stamped in (`end − interval`, `end`], in arrival order.
    let packets: [FlatJSON]

    /// Groups loop packets (JSON objects with `dateTime`) by the interval holding them, with the
    /// convention (`end − interval`, `end`], oldest interval first.
    static func group(_ packets: [FlatJSON], interval: Int64) -> [ArchiveExpectation] {
        var byEnd: [Int64: [FlatJSON]] = [:]
        for packet in packets {
            guard let dateTime = packet.integer("dateTime") else { continue }
            let end = ArchiveBench.intervalEnd(dateTime, length: interval)
            byEnd[end, default: []].append(packet)
        }
        return byEnd.keys.sorted().map { ArchiveExpectation(end: $0, interval: interval, packets: byEnd[$0]!) }
    }

    /// The published field names in first-seen order.
    var fields: [String] {
        var names: [String] = []
        for packet in packets {
            for key in packet.keys where key != "dateTime" && !names.contains(key) { names.append(key) }
        }
        return names
    }

    /// The field's values (texts) in the packets that had it, in order.
    func values(of field: String) -> [String] {
        packets.compactMap { $0[field] }
    }

    /// How `record` (the published archive JSON) differs from the expectation; empty if it
    /// matches: header, keys in order, and every value per the extractors.
    /// - Parameter extractor: The extractor of a field, by its *published* name.
    func problems(in record: FlatJSON, extractor: (String) -> Extractor) -> [String] {
        var problems: [String] = []
        func check(_ key: String, _ expected: Value) {
            guard let text = record[key] else { return problems.append("\(end): no \(key)") }
            if !expected.matches(text) { problems.append("\(end): \(key) is \(text), expected \(expected)") }
        }
        check("dateTime", .text("\(end)"))
        check("interval", .text("\(interval)"))
        check("count", .text("\(packets.count)"))
        var keys = ["dateTime", "interval", "count"]
        for field in fields {
            let statistics = Statistics(values(of: field))
            let chosen = extractor(field)
            check(field, statistics.value(of: chosen))
            keys.append(field)
            if [.avg, .min, .max].contains(chosen) {
                check(field + "_min", statistics.value(of: .min))
                check(field + "_max", statistics.value(of: .max))
                check(field + "_avg", statistics.value(of: .avg))
                keys += [field + "_min", field + "_max", field + "_avg"]
            }
        }
        if record.keys != keys { problems.append("\(end): keys \(record.keys), expected \(keys)") }
        return problems
    }

    /// An expected value: an exact text, or a number that the text must equal once read.
    enum Value: CustomStringConvertible {
        case text(String)
        case float(Float)
        case double(Double)

        func matches(_ text: String) -> Bool {
            switch self {
            case .text(let expected): text == expected
            case .float(let expected): Float(text) == expected
            case .double(let expected): Double(text) == expected
            }
        }

        var description: String {
            switch self {
            case .text(let text): text
            case .float(let value): "\(value) (Float)"
            case .double(let value): "\(value) (Double)"
            }
        }
    }

    /// One field's statistics over the interval.
    struct Statistics {
        let texts: [String]

        init(_ texts: [String]) { self.texts = texts }

        private var isInteger: Bool { texts.allSatisfy { Int64($0) != nil } }
        private var doubleSum: Double { texts.reduce(0) { $0 + Double(Float($1)!) } }
        private var integerSum: Int64 { texts.reduce(0) { $0 + Int64($1)! } }

        func value(of extractor: Extractor) -> Value {
            switch extractor {
            case .min: .text(texts.min { Double($0)! < Double($1)! }!)
            case .max: .text(texts.max { Double($0)! < Double($1)! }!)
            case .last: .text(texts.last!)
            case .count: .text("\(texts.count)")
            case .sum: isInteger ? .text("\(integerSum)") : .float(Float(doubleSum))
            case .avg:
                isInteger
                    ? .double(Double(integerSum) / Double(texts.count))
                    : .float(Float(doubleSum / Double(texts.count)))
            }
        }
    }
}

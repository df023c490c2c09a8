import AuroraProtocol
import Foundation

/// The compact binary form of a record's field statistics: the `summary` BLOB of the archive
/// database (schema `v2`).
///
/// Why binary: the v1 summary was the whole record as keyed JSON, about 170 bytes per field and
/// 93 % of the file. This form takes 11 to 19 bytes for a typical field (about 14 on average)
/// and makes the database about 7.5 times smaller (81 instead of 621 MB per inverter-year at
/// 300 s), while keeping every value's exact type and bits: floats and doubles as raw IEEE 754
/// bits, so NaN payloads, infinities and −0 survive, which text forms need care for. Compact
/// JSON arrays would still spend 8–12 bytes of text per float. The record's inverter,
/// `dateTime`, `interval` and `count` are not repeated: they are the row's columns. The
/// primary value stays in the blob as well as in its column (for a measure it is usually the
/// derived avg, which costs nothing), so the blob alone is the exact record.
///
/// Format version 1 (all multi-byte numbers little-endian):
/// ```text
/// blob    = version:u8 (= 1), then one field after another to the end, in record order
/// field   = name layout:u8 kinds:u8 [count] sum min [max] [last] [avg]
/// name    = id:u8, 1…33 for the names of `canonicalNames` (id − 1 is the index);
///           0 then length:varint and that many UTF-8 bytes for any other name
/// layout  = bits 0–2 extractor (0 avg, 1 min, 2 max, 3 last, 4 sum, 5 count)
///           bit 3    1: the field's count is the record's count, no `count` follows
///           bits 4–5 last: 0 stored (`last` follows), 1 same as min, 2 same as max
///           bits 6–7 avg: its kind (0–2, `avg` follows) or 3: derived, none follows
/// kinds   = bits 0–1 sum's kind, bits 2–3 min's kind,
///           bits 4–5 max's kind or 3: same as min (no `max` follows),
///           bits 6–7 last's kind when stored, else 0
/// kind    = 0 integer: zigzag LEB128 varint (1–10 bytes)
///           1 float: 4 bytes of `Float.bitPattern`
///           2 double: 8 bytes of `Double.bitPattern`
/// count   = varint
/// ```
/// "Same as" means the same kind and the same bits. A derived avg is the one
/// ``FieldAccumulator`` computes from the sum and the count: `Double(sum) / count` for an
/// integer sum, `Float(Double(sum) / count)` for a float sum, `sum / count` for a double sum;
/// it is used only when it gives exactly the stored bits. A reader refuses any other version,
/// reserved bits and codes, truncated values and bytes left over.
enum SummaryBlob {
    /// The version this code writes and reads (the blob's first byte).
    static let version: UInt8 = 1

    /// The field names with a one-byte id, in id order from 1: the archive's canonical fields.
    /// Part of format version 1: never reorder or remove; a new name goes at the end.
    static let canonicalNames: [String] = [
        "string1Voltage", "string1Current", "string1Power",
        "string2Voltage", "string2Current", "string2Power",
        "gridVoltage", "gridCurrent", "gridPower", "gridFrequency",
        "inverterTemp", "boosterTemp", "bulkVoltage", "isoResistance",
        "bulkmidVoltage", "bulkdcVoltage", "leakdcCurrent", "leakCurrent",
        "griddcVoltage", "gridavgVoltage", "gridnVoltage", "griddcFrequency",
        "peakPower", "dayPeakPower", "gridnphVoltage", "energy",
        "dayEnergy", "weekEnergy", "monthEnergy", "yearEnergy", "totalEnergy", "partialEnergy",
        "inverterDateTime",
    ]

    /// The extractors by their code (bits 0–2 of the layout byte).
    private static let extractors: [Extractor] = [.avg, .min, .max, .last, .sum, .count]

    private static let nameIDs: [String: UInt8] = Dictionary(
        uniqueKeysWithValues: canonicalNames.enumerated().map { ($0.element, UInt8($0.offset + 1)) })

    /// The kind code meaning "no value follows": same as another value, or derived.
    private static let reference: UInt8 = 3

    // MARK: - Writing

    /// The blob of a record's fields.
    /// - Parameters:
    ///   - fields: The record's field statistics, in record order.
    ///   - recordCount: The record's packet count (stored in its own column).
    static func encode(_ fields: [FieldSummary], recordCount: Int) -> Data {
        var bytes: [UInt8] = [version]
        bytes.reserveCapacity(1 + fields.count * 20)
        for field in fields {
            encode(field, recordCount: recordCount, into: &bytes)
        }
        return Data(bytes)
    }

    private static func encode(_ field: FieldSummary, recordCount: Int, into bytes: inout [UInt8]) {
        if let id = nameIDs[field.name] {
            bytes.append(id)
        } else {
            let name = Array(field.name.utf8)
            bytes.append(0)
            appendVarint(UInt64(name.count), to: &bytes)
            bytes += name
        }
        let countIsRecord = field.count == recordCount
        let maxIsMin = sameBits(field.max, field.min)
        let lastSource: UInt8 = sameBits(field.last, field.min) ? 1 : sameBits(field.last, field.max) ? 2 : 0
        let avgIsDerived = sameBits(field.avg, derivedAverage(sum: field.sum, count: field.count))
        let extractorCode = UInt8(extractors.firstIndex(of: field.extractor) ?? 0)
        bytes.append(
            extractorCode | (countIsRecord ? 1 << 3 : 0) | lastSource << 4
                | (avgIsDerived ? reference : kind(field.avg)) << 6)
        bytes.append(
            kind(field.sum) | kind(field.min) << 2 | (maxIsMin ? reference : kind(field.max)) << 4
                | (lastSource == 0 ? kind(field.last) : 0) << 6)
        if !countIsRecord { appendVarint(UInt64(UInt(bitPattern: field.count)), to: &bytes) }
        append(field.sum, to: &bytes)
        append(field.min, to: &bytes)
        if !maxIsMin { append(field.max, to: &bytes) }
        if lastSource == 0 { append(field.last, to: &bytes) }
        if !avgIsDerived { append(field.avg, to: &bytes) }
    }

    private static func kind(_ value: FieldValue) -> UInt8 {
        switch value {
        case .integer: 0
        case .float: 1
        case .double: 2
        }
    }

    private static func append(_ value: FieldValue, to bytes: inout [UInt8]) {
        switch value {
        case .integer(let integer):
            appendVarint(UInt64(bitPattern: (integer << 1) ^ (integer >> 63)), to: &bytes)
        case .float(let float):
            withUnsafeBytes(of: float.bitPattern.littleEndian) { bytes += $0 }
        case .double(let double):
            withUnsafeBytes(of: double.bitPattern.littleEndian) { bytes += $0 }
        }
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Whether two values have the same kind and the same bits (unlike `==`: NaN is the same
    /// as itself, −0 differs from +0).
    private static func sameBits(_ a: FieldValue, _ b: FieldValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): x == y
        case (.float(let x), .float(let y)): x.bitPattern == y.bitPattern
        case (.double(let x), .double(let y)): x.bitPattern == y.bitPattern
        default: false
        }
    }

    /// The mean ``FieldAccumulator`` would give for this sum and count.
    private static func derivedAverage(sum: FieldValue, count: Int) -> FieldValue {
        switch sum {
        case .integer(let integer): .double(Double(integer) / Double(count))
        case .float(let float): .float(Float(Double(float) / Double(count)))
        case .double(let double): .double(double / Double(count))
        }
    }

    // MARK: - Reading

    /// The fields of a blob written by ``encode(_:recordCount:)``.
    /// - Parameters:
    ///   - data: The blob.
    ///   - recordCount: The record's packet count (from its column).
    /// - Throws: ``SummaryBlobError`` if the blob is not a version 1 summary.
    static func decode(_ data: Data, recordCount: Int) throws(SummaryBlobError) -> [FieldSummary] {
        var reader = Reader(bytes: [UInt8](data))
        let found = try reader.byte()
        guard found == version else {
            throw SummaryBlobError("version \(found), only \(version) is known", offset: 0)
        }
        var fields: [FieldSummary] = []
        while !reader.isAtEnd {
            fields.append(try decodeField(&reader, recordCount: recordCount))
        }
        return fields
    }

    private static func decodeField(_ reader: inout Reader, recordCount: Int) throws(SummaryBlobError)
        -> FieldSummary
    {
        let start = reader.offset
        let name: String
        let id = try reader.byte()
        if id == 0 {
            let length = try reader.varint()
            guard let text = String(validating: try reader.bytes(length), as: UTF8.self) else {
                throw SummaryBlobError("a field name is not UTF-8", offset: start)
            }
            name = text
        } else if Int(id) <= canonicalNames.count {
            name = canonicalNames[Int(id) - 1]
        } else {
            throw SummaryBlobError("unknown field name id \(id)", offset: start)
        }
        let layout = try reader.byte()
        let kinds = try reader.byte()
        let extractorCode = Int(layout & 0b111)
        let lastSource = layout >> 4 & 0b11
        let avgKind = layout >> 6
        let sumKind = kinds & 0b11
        let minKind = kinds >> 2 & 0b11
        let maxKind = kinds >> 4 & 0b11
        let lastKind = kinds >> 6
        guard extractorCode < extractors.count, lastSource < 3, sumKind != reference, minKind != reference,
            lastSource == 0 ? lastKind != reference : lastKind == 0
        else {
            throw SummaryBlobError("field \(name) has reserved layout bits \(layout), \(kinds)", offset: start)
        }
        let count: Int
        if layout & 1 << 3 != 0 {
            count = recordCount
        } else {
            let stored = try reader.varint()
            guard stored <= UInt64(Int.max) else {
                throw SummaryBlobError("field \(name) has a count out of range", offset: start)
            }
            count = Int(stored)
        }
        let sum = try reader.value(kind: sumKind)
        let min = try reader.value(kind: minKind)
        let max = maxKind == reference ? min : try reader.value(kind: maxKind)
        let last =
            switch lastSource {
            case 1: min
            case 2: max
            default: try reader.value(kind: lastKind)
            }
        let avg = avgKind == reference ? derivedAverage(sum: sum, count: count) : try reader.value(kind: avgKind)
        return FieldSummary(
            name: name, extractor: extractors[extractorCode], count: count,
            sum: sum, min: min, max: max, avg: avg, last: last)
    }

    /// Reads a blob's bytes in order.
    private struct Reader {
        let bytes: [UInt8]
        private(set) var offset = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        var isAtEnd: Bool { offset == bytes.count }

        mutating func byte() throws(SummaryBlobError) -> UInt8 {
            guard offset < bytes.count else { throw SummaryBlobError("the blob ends early", offset: offset) }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func bytes(_ count: UInt64) throws(SummaryBlobError) -> ArraySlice<UInt8> {
            guard count <= UInt64(bytes.count - offset) else {
                throw SummaryBlobError("the blob ends early", offset: offset)
            }
            defer { offset += Int(count) }
            return bytes[offset..<offset + Int(count)]
        }

        mutating func varint() throws(SummaryBlobError) -> UInt64 {
            let start = offset
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                let byte = try byte()
                let bits = UInt64(byte & 0x7F)
                guard (bits << shift) >> shift == bits else { break }
                value |= bits << shift
                if byte & 0x80 == 0 { return value }
            }
            throw SummaryBlobError("a number is longer than 64 bits", offset: start)
        }

        mutating func value(kind: UInt8) throws(SummaryBlobError) -> FieldValue {
            switch kind {
            case 0:
                let zigzag = try varint()
                return .integer(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
            case 1:
                return .float(Float(bitPattern: UInt32(truncatingIfNeeded: try littleEndian(4))))
            default:
                return .double(Double(bitPattern: try littleEndian(8)))
            }
        }

        private mutating func littleEndian(_ size: Int) throws(SummaryBlobError) -> UInt64 {
            var value: UInt64 = 0
            for (index, byte) in try bytes(UInt64(size)).enumerated() {
                value |= UInt64(byte) << (8 * index)
            }
            return value
        }
    }
}

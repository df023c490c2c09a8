import AuroraProtocol
import Foundation
import Testing

@testable import AuroraBridge

@Suite("SummaryBlob: the binary summary of a record")
struct SummaryBlobTests {
    /// Values at the edges of every kind, with unusual bits.
    static let edgeValues: [FieldValue] = [
        .integer(0), .integer(-1), .integer(1), .integer(.min), .integer(.max), .integer(1 << 53 + 1),
        .integer(-8_636), .integer(18_508_636),
        .float(0), .float(-0.0), .float(.nan), .float(Float(bitPattern: 0x7FA0_0001)), .float(-.nan),
        .float(.infinity), .float(-.infinity), .float(.leastNonzeroMagnitude), .float(.greatestFiniteMagnitude),
        .float(494.79935), .float(-1e-05),
        .double(0), .double(-0.0), .double(.nan), .double(Double(bitPattern: 0xFFF8_0000_0000_0123)),
        .double(.infinity), .double(-.infinity), .double(.leastNonzeroMagnitude), .double(0.1),
        .double(-2.5e300),
    ]

    /// Every value of ``edgeValues`` in every statistic, mixed kinds, every extractor, names
    /// with and without an id, counts equal to the record's and not.
    static func edgeFields(recordCount: Int) -> [FieldSummary] {
        let names = [
            "gridPower", "inverterDateTime", "customField", "", "température", String(repeating: "n", count: 300),
            "string1Voltage", "energy",
        ]
        let counts = [recordCount, 1, 0, recordCount + 1, Int.max, 200]
        let values = edgeValues
        return values.indices.map { index in
            FieldSummary(
                name: names[index % names.count],
                extractor: Extractor.allCases[index % Extractor.allCases.count],
                count: counts[index % counts.count],
                sum: values[index], min: values[(index + 3) % values.count], max: values[(index + 7) % values.count],
                avg: values[(index + 11) % values.count], last: values[(index + 5) % values.count])
        }
    }

    @Test("edge values of every kind, any names, counts and extractors read back bit for bit")
    func edgeRoundTrip() throws {
        let fields = Self.edgeFields(recordCount: 30)
        let blob = SummaryBlob.encode(fields, recordCount: 30)
        let read = try SummaryBlob.decode(blob, recordCount: 30)
        #expect(read.map(exact) == fields.map(exact))
    }

    @Test("shared values are stored once and still read back exactly: max = min, last = min or max, derived avg")
    func references() throws {
        let cases: [FieldSummary] = [
            // A constant float: max and last refer to min, avg is derived from the sum.
            FieldSummary(
                name: "gridFrequency", extractor: .avg, count: 4, sum: .float(200), min: .float(50), max: .float(50),
                avg: .float(50), last: .float(50)),
            // +0 and −0 have different bits: nothing may be shared.
            FieldSummary(
                name: "leakCurrent", extractor: .avg, count: 2, sum: .float(0), min: .float(-0.0), max: .float(0),
                avg: .float(-0.0), last: .float(0)),
            // A rising counter: last refers to max, the integer avg is derived.
            FieldSummary(
                name: "dayEnergy", extractor: .last, count: 3, sum: .integer(300), min: .integer(99), max: .integer(101),
                avg: .double(100), last: .integer(101)),
            // A falling measure: last refers to min.
            FieldSummary(
                name: "gridPower", extractor: .max, count: 2, sum: .float(30), min: .float(10), max: .float(20),
                avg: .float(15), last: .float(10)),
            // An avg one float step off the one derived from the sum is stored as it is.
            FieldSummary(
                name: "gridPower", extractor: .avg, count: 3, sum: .float(10), min: .float(3), max: .float(4),
                avg: .float(Float(10.0 / 3).nextUp), last: .float(3.5)),
            // Same bits, other kind: not shared.
            FieldSummary(
                name: "energy", extractor: .sum, count: 2, sum: .double(2), min: .integer(1), max: .double(1),
                avg: .integer(1), last: .float(1)),
            // NaN is the same as itself.
            FieldSummary(
                name: "isoResistance", extractor: .avg, count: 1, sum: .float(.nan), min: .float(.nan),
                max: .float(.nan), avg: .float(.nan), last: .float(.nan)),
        ]
        for field in cases {
            let read = try SummaryBlob.decode(SummaryBlob.encode([field], recordCount: 2), recordCount: 2)
            #expect(read.map(exact) == [exact(field)])
        }
        // version, id, layout, kinds, then only sum and min.
        #expect(SummaryBlob.encode([cases[0]], recordCount: 4).count == 1 + 3 + 4 + 4)
    }

    @Test("the bytes of format version 1 are fixed")
    func formatPinned() throws {
        let fields = [
            FieldSummary(
                name: "gridPower", extractor: .avg, count: 2, sum: .float(1.5), min: .float(0.5), max: .float(1),
                avg: .float(0.75), last: .float(1)),
            FieldSummary(
                name: "dayEnergy", extractor: .last, count: 5, sum: .integer(-3), min: .integer(300),
                max: .integer(300), avg: .double(-0.6), last: .integer(300)),
            FieldSummary(
                name: "x", extractor: .count, count: 2, sum: .double(2), min: .integer(1), max: .float(2),
                avg: .integer(7), last: .double(0.5)),
        ]
        let bytes: [UInt8] = [
            0x01,
            // gridPower: id 9; avg, count = record's, last = max, avg derived; float sum, min, max.
            0x09, 0xE8, 0x15, 0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x80, 0x3F,
            // dayEnergy: id 27; last, count 5, last = min, avg derived; integer sum −3, min 300, max = min.
            0x1B, 0xD3, 0x30, 0x05, 0x05, 0xD8, 0x04,
            // "x": no id, length 1; count, count = record's; double sum, integer min, float max,
            // double last, integer avg 7.
            0x00, 0x01, 0x78, 0x0D, 0x92,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x02, 0x00, 0x00, 0x00, 0x40,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x3F, 0x0E,
        ]
        #expect([UInt8](SummaryBlob.encode(fields, recordCount: 2)) == bytes)
        #expect(try SummaryBlob.decode(Data(bytes), recordCount: 2).map(exact) == fields.map(exact))
    }

    @Test("a record with no fields is the version byte alone")
    func empty() throws {
        #expect([UInt8](SummaryBlob.encode([], recordCount: 1)) == [1])
        #expect(try SummaryBlob.decode(Data([1]), recordCount: 1).isEmpty)
    }

    @Test(
        "damaged blobs are refused, never misread",
        arguments: [
            [], [2], [0x7B, 0x6F], [1, 34, 0x08, 0x15], [1, 9], [1, 9, 0xE8, 0x15, 0, 0, 0xC0],
            [1, 9, 0x0E, 0x15] + Array(repeating: 0, count: 12),  // extractor code 6
            [1, 9, 0x38, 0x15] + Array(repeating: 0, count: 12),  // last source 3
            [1, 9, 0xE8, 0x17] + Array(repeating: 0, count: 12),  // sum kind 3
            [1, 9, 0xE8, 0x1D] + Array(repeating: 0, count: 12),  // min kind 3
            [1, 9, 0xE8, 0x55] + Array(repeating: 0, count: 12),  // last kind given for a shared last
            [1, 9, 0xC8, 0xD5] + Array(repeating: 0, count: 16),  // stored last of kind 3
            [1, 9, 0xC0, 0x00] + Array(repeating: 0xFF, count: 11),  // count longer than 64 bits
            [1, 9, 0xC0, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0, 0],  // count > Int.max
            [1, 0, 2, 0xC3, 0x28, 0xE8, 0x00, 0, 0, 0],  // name not UTF-8
            [1, 0, 5, 0x41],  // name shorter than its length
        ] as [[UInt8]])
    func refused(bytes: [UInt8]) {
        #expect(throws: SummaryBlobError.self) { try SummaryBlob.decode(Data(bytes), recordCount: 2) }
    }
}

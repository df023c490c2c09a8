import Foundation
import GRDB

@testable import AuroraBridge

/// Writes archive databases of schema `v1`, as the bridge did before `v2`: the test-only copy of
/// the old `summary` encoder (the whole record as JSON with sorted keys), to test migration `v2`.
enum V1Archive {
    /// Creates a `v1` database at `path` with the real `v1` migration, in WAL mode.
    static func create(at path: String) throws -> DatabasePool {
        let pool = try DatabasePool(path: path)
        try ArchiveSchema.migrator(path: path).migrate(pool, upTo: "v1")
        return pool
    }

    /// Inserts `record` as the v1 `ArchiveStore.insert` did: primary values in the field columns
    /// (floats as doubles), the JSON summary, and the delivered flag.
    static func insert(_ record: ArchiveRecord, delivered: Bool = false, into db: Database) throws {
        let fieldColumns = Set(try db.columns(in: "archive").map(\.name)).subtracting(ArchiveSchema.fixedColumns)
        var columns = ["inverter", "dateTime", "interval", "count", "summary", "delivered"]
        var values: [(any DatabaseValueConvertible)?] = [
            record.inverter, record.dateTime, record.interval, record.count, try json(record), delivered,
        ]
        for field in record.fields where fieldColumns.contains(field.name) {
            columns.append(field.name)
            switch field.value {
            case .integer(let integer): values.append(integer)
            case .float, .double: values.append(field.value.double)
            }
        }
        try db.execute(
            sql: "INSERT INTO archive (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES ("
                + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")",
            arguments: StatementArguments(values))
    }

    /// The v1 summary of `record`.
    static func json(_ record: ArchiveRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(Record(record)), as: UTF8.self)
    }

    /// The v1 JSON shape of an ``ArchiveRecord`` (its synthesized `Encodable` conformance).
    private struct Record: Encodable {
        let inverter: String
        let dateTime: Int64
        let interval: Int64
        let count: Int
        let fields: [Field]

        init(_ record: ArchiveRecord) {
            inverter = record.inverter
            dateTime = record.dateTime
            interval = record.interval
            count = record.count
            fields = record.fields.map(Field.init)
        }
    }

    /// The v1 JSON shape of a ``FieldSummary``: every value a ``StoredFieldValue``.
    private struct Field: Encodable {
        let name: String
        let extractor: Extractor
        let count: Int
        let sum, min, max, avg, last: StoredFieldValue

        init(_ field: FieldSummary) {
            name = field.name
            extractor = field.extractor
            count = field.count
            sum = StoredFieldValue(field.sum)
            min = StoredFieldValue(field.min)
            max = StoredFieldValue(field.max)
            avg = StoredFieldValue(field.avg)
            last = StoredFieldValue(field.last)
        }
    }
}

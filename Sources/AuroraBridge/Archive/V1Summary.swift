import Foundation

/// The `summary` of schema `v1`: the whole ``ArchiveRecord`` as JSON with sorted keys, every
/// value a ``StoredFieldValue`` object. Only migration `v2` reads it, to convert each row to a
/// ``SummaryBlob``.
///
/// ```json
/// {"count":30,"dateTime":1782036300,"fields":[{"avg":{"f":"494.79935"},"count":30,
///  "extractor":"avg","last":{"f":"490.5"},"max":{"f":"512.25"},"min":{"f":"470.0"},
///  "name":"gridPower","sum":{"f":"14843.98"}},…],"interval":300,"inverter":"roof"}
/// ```
/// The record's other keys repeat the row's columns and are not read.
struct V1Summary: Decodable {
    /// The record's field statistics, in record order.
    let fields: [FieldSummary]

    /// Reads a v1 summary.
    /// - Throws: `DecodingError` if `json` is not one.
    init(json: Data) throws {
        self = try JSONDecoder().decode(Self.self, from: json)
    }

    private enum CodingKeys: String, CodingKey {
        case fields
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fields = try container.decode([Field].self, forKey: .fields).map(\.summary)
    }

    /// One element of `fields`.
    private struct Field: Decodable {
        let summary: FieldSummary

        private enum CodingKeys: String, CodingKey {
            case name, extractor, count, sum, min, max, avg, last
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            summary = FieldSummary(
                name: try container.decode(String.self, forKey: .name),
                extractor: try container.decode(Extractor.self, forKey: .extractor),
                count: try container.decode(Int.self, forKey: .count),
                sum: try container.decode(StoredFieldValue.self, forKey: .sum).value,
                min: try container.decode(StoredFieldValue.self, forKey: .min).value,
                max: try container.decode(StoredFieldValue.self, forKey: .max).value,
                avg: try container.decode(StoredFieldValue.self, forKey: .avg).value,
                last: try container.decode(StoredFieldValue.self, forKey: .last).value)
        }
    }
}

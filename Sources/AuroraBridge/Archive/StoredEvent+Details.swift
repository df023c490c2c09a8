import Foundation

extension StoredEvent {
    /// The payload's members other than `event_type`, `dateTime` and `source`, by key, each
    /// value as its JSON text without quotes; empty when the payload cannot be read.
    private var details: [(key: String, value: String)] {
        guard let object = try? JSONDecoder().decode([String: Detail].self, from: Data(payload.utf8)) else { return [] }
        let skipped: Set<String> = ["event_type", "dateTime", "source"]
        return object.filter { !skipped.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.text) }
    }

    /// The details as one line, by key: `code 13  reported_late false  text Grid fail (E013)`
    /// (the payload's members other than `event_type`, `dateTime` and `source`); empty when
    /// there are none or the payload cannot be read.
    public var detailsText: String {
        details.map { "\($0.key) \($0.value)" }.joined(separator: "  ")
    }

    /// One member's value: a payload holds flat values only.
    private struct Detail: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let flag = try? value.decode(Bool.self) {
                text = String(flag)
            } else if let integer = try? value.decode(Int64.self) {
                text = String(integer)
            } else if let number = try? value.decode(Double.self) {
                text = String(number)
            } else {
                text = try value.decode(String.self)
            }
        }
    }
}

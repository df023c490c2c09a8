import AuroraProtocol
/// The archive's exact JSON form of a ``FieldValue``, used in saved open intervals (table
/// `open_interval`) and read from the `v1` record summaries that migration `v2` converts.
///
/// A value is an object with one key naming its type: `{"i":8636}` for an integer,
/// `{"f":"494.79935"}` for a float and `{"d":"2.5"}` for a double. Floats and doubles are kept
/// as their shortest round-trip text so that decoding gives back the very same bits (a JSON
/// number would be read as a `Double` first and could round differently).
struct StoredFieldValue: Codable, Sendable {
    /// The value carried.
    var value: FieldValue

    init(_ value: FieldValue) {
        self.value = value
    }

    private enum CodingKeys: String, CodingKey {
        case i, f, d
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let integer = try container.decodeIfPresent(Int64.self, forKey: .i) {
            value = .integer(integer)
        } else if let text = try container.decodeIfPresent(String.self, forKey: .f) {
            guard let float = Float(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .f, in: container, debugDescription: "\"\(text)\" is not a float")
            }
            value = .float(float)
        } else if let text = try container.decodeIfPresent(String.self, forKey: .d) {
            guard let double = Double(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .d, in: container, debugDescription: "\"\(text)\" is not a double")
            }
            value = .double(double)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a value needs one of the keys i, f or d"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch value {
        case .integer(let integer): try container.encode(integer, forKey: .i)
        case .float(let float): try container.encode(float.description, forKey: .f)
        case .double(let double): try container.encode(double.description, forKey: .d)
        }
    }
}

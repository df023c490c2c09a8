/// Writes one flat JSON object key by key, in the order given, without Foundation.
///
/// Numbers are written as ``FieldValue/description`` (the shortest round-trip text); a value
/// that is not finite has no JSON number and is written as `null`.
struct JSONObjectWriter {
    private var text = "{"
    private var isEmpty = true

    /// Adds `"key":value` with a number.
    mutating func add(_ key: String, _ value: FieldValue) {
        let finite = value.double.isFinite
        appendKey(key)
        text += finite ? value.description : "null"
    }

    /// Adds `"key":value` with an integer.
    mutating func add(_ key: String, _ value: Int64) {
        appendKey(key)
        text += value.description
    }

    /// Adds `"key":"value"` with a string.
    mutating func add(_ key: String, _ value: String) {
        appendKey(key)
        text += Self.quoted(value)
    }

    /// The finished object.
    var object: String { text + "}" }

    private mutating func appendKey(_ key: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        text += Self.quoted(key) + ":"
    }

    /// `value` as a JSON string literal, with quotes, backslashes and control characters escaped.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

import AuroraProtocol

/// Builds a one-line JSON object by hand, so numbers keep their exact text (a float's shortest
/// round-trip form, integers without a decimal point) and keys keep their order.
public struct JSONObject: Sendable, CustomStringConvertible {
    private var members: [String] = []

    /// An empty object.
    public init() {}

    /// Adds `"key": value` with a number's exact text.
    public mutating func add(_ key: String, _ value: FieldValue) {
        // JSON has no number for infinities and NaN.
        members.append("\(Self.quoted(key)):\(value.double.isFinite ? value.description : "null")")
    }

    /// Adds `"key": value` for an integer.
    public mutating func add(_ key: String, _ value: some BinaryInteger) {
        members.append("\(Self.quoted(key)):\(value)")
    }

    /// Adds `"key": "value"`.
    public mutating func add(_ key: String, _ value: String) {
        members.append("\(Self.quoted(key)):\(Self.quoted(value))")
    }

    /// Adds `"key": true|false`.
    public mutating func add(_ key: String, _ value: Bool) {
        members.append("\(Self.quoted(key)):\(value)")
    }

    /// Adds `"key": <object>`.
    public mutating func add(_ key: String, _ value: JSONObject) {
        members.append("\(Self.quoted(key)):\(value)")
    }

    /// Adds `"key": ["<strings>"]`.
    public mutating func add(_ key: String, _ values: [String]) {
        members.append("\(Self.quoted(key)):[\(values.map(Self.quoted).joined(separator: ","))]")
    }

    /// Adds `"key": [<objects>]`.
    public mutating func add(_ key: String, _ values: [JSONObject]) {
        members.append("\(Self.quoted(key)):[\(values.map(\.description).joined(separator: ","))]")
    }

    /// Adds every member of `other`, after these.
    public mutating func merge(_ other: JSONObject) {
        members += other.members
    }

    /// The object as compact JSON text.
    public var description: String { "{" + members.joined(separator: ",") + "}" }

    /// `text` as a JSON string literal (also a valid TOML basic string: control characters and
    /// DEL are written as `\uXXXX`).
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

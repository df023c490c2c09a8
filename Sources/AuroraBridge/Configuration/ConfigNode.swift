import TOMLKit

/// A TOML value as plain Swift data, so the configuration is read without touching TOMLKit's
/// reference types again.
indirect enum ConfigNode: Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case table([String: ConfigNode])
    case array([ConfigNode])
    /// A date or time: never valid in `bridge.conf`; the payload names the TOML type.
    case other(String)

    /// Parses TOML text into a tree, or throws TOMLKit's syntax error.
    static func parse(_ text: String) throws -> [String: ConfigNode] {
        let root = try TOMLTable(string: text)
        guard case .table(let entries) = ConfigNode(root) else { return [:] }
        return entries
    }

    /// Converts one TOMLKit value.
    init(_ value: any TOMLValueConvertible) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .float(value.double ?? 0)
        case .bool: self = .boolean(value.bool ?? false)
        case .table:
            var entries: [String: ConfigNode] = [:]
            for (key, element) in value.table ?? TOMLTable() {
                entries[key] = ConfigNode(element)
            }
            self = .table(entries)
        case .array:
            self = .array((value.array ?? TOMLArray()).map { ConfigNode($0) })
        case .date, .time, .dateTime: self = .other(value.type.description)
        }
    }

    /// The value as the user would write it, for "got …" in messages: `"abc"`, `5`, `a table`.
    var shown: String {
        switch self {
        case .string(let text): TOMLText.quoted(text)
        case .integer(let value): String(value)
        case .float(let value): String(value)
        case .boolean(let value): String(value)
        case .table: "a table"
        case .array: "an array"
        case .other(let type): "a \(type)"
        }
    }
}

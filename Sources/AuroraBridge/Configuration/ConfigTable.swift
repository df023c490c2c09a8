/// One table of `bridge.conf` while it is read: where it is and what it holds.
struct ConfigTable {
    /// The path from the root, as ``KeyLocator`` names it (`["mqtt", "tls"]`, `["inverter", "0"]`).
    var path: [String]
    /// The dotted name as written in a header: `mqtt.tls`, `inverter`; empty for the root.
    var name: String
    /// Whether this is an element of an array of tables (`[[inverter]]`).
    var isArrayElement = false
    /// The keys and values, empty when the table is absent.
    var entries: [String: ConfigNode]
    /// Whether the file has the table (as a header, a dotted key or an inline table).
    var isPresent: Bool

    /// How messages name the table: `[mqtt.tls]`, `[[inverter]]`; empty for the root.
    var title: String {
        if name.isEmpty { return "" }
        return isArrayElement ? "[[\(name)]]" : "[\(name)]"
    }

    /// The root table of a document.
    static func root(_ entries: [String: ConfigNode]) -> ConfigTable {
        ConfigTable(path: [], name: "", entries: entries, isPresent: true)
    }

    /// The table `key` inside this one; an absent table when it is missing or not a table
    /// (``ConfigReader/checkKeys(_:special:)`` reports the latter).
    func subtable(_ key: String) -> ConfigTable {
        var found: [String: ConfigNode] = [:]
        var isPresent = false
        if case .table(let entries) = entries[key] {
            found = entries
            isPresent = true
        }
        return ConfigTable(
            path: path + [key], name: name.isEmpty ? key : "\(name).\(key)", entries: found, isPresent: isPresent)
    }
}

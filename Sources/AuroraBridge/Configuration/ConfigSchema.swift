/// Every table of `bridge.conf`, in file order, each with its keys: the entries of the settings
/// struct it fills (``ConfigSection/entries``, next to the struct and the rules of its table).
///
/// ``ConfigReader`` checks names against it and suggests names from it; `check-config --keys`
/// and `docs/configuration.md` (``keyList``) and the `init` template (``ConfigTemplate``) are
/// generated from it.
public enum ConfigSchema {
    /// One table: its name as written in a header (`mqtt.tls`), its keys and sub-tables.
    public struct Table: Sendable {
        /// The dotted name: `mqtt`, `mqtt.tls`, `inverter`.
        public let name: String
        /// Whether it is an array of tables (`[[inverter]]`).
        public let isArray: Bool
        /// One line on what it is for.
        public let doc: String
        /// Its keys, in file order.
        public let keys: [ConfigKey]
        /// Sub-tables whose keys are field names (`[fields.rename]`), with what they map a field to.
        public let fieldMaps: [(name: String, doc: String)]

        /// The table called `name`, whose keys are the entries of `section`.
        init<Section: ConfigSection>(
            _ name: String, array: Bool = false, _ doc: String, _ section: Section.Type, fieldMaps: [(String, String)] = []
        ) {
            self.name = name
            self.isArray = array
            self.doc = doc
            self.keys = Section.entries.map(\.key)
            self.fieldMaps = fieldMaps.map { (name: $0.0, doc: $0.1) }
        }

        /// `[mqtt.tls]`, `[[inverter]]`.
        public var title: String { isArray ? "[[\(name)]]" : "[\(name)]" }

        /// The key called `name`.
        public subscript(_ name: String) -> ConfigKey? { keys.first { $0.name == name } }
    }

    /// Every table, in file order.
    public static let tables: [Table] = [
        Table("mqtt", "The broker and how to connect to it.", BridgeConfiguration.MQTT.self),
        Table(
            "mqtt.tls", "TLS to the broker: present means on; certificates or a pre-shared key, not both.",
            BridgeConfiguration.MQTT.TLS.self),
        Table(
            "topics", "Topic templates, with {prefix}, {inverter}, {address} and (field topics only) {field}.",
            BridgeConfiguration.Topics.self),
        Table("homeassistant", "Home Assistant MQTT discovery.", BridgeConfiguration.HomeAssistant.self),
        Table("retain", "Which classes of messages the broker keeps for new subscribers.", BridgeConfiguration.Retain.self),
        Table("stats", "The bridge's own counters topic.", BridgeConfiguration.Stats.self),
        Table("bus", "The RS485 bus the inverters share.", BridgeConfiguration.Bus.self),
        Table("inverter", array: true, "One inverter on the bus; one table per inverter.", BridgeConfiguration.Inverter.self),
        Table(
            "fields", "Renaming and leaving out loop fields, by their original names.", BridgeConfiguration.Fields.self,
            fieldMaps: [("rename", "the new name: unique, letters, digits, \"-\" and \"_\"")]),
        Table(
            "archive", "Interval summaries, kept in SQLite and published.", BridgeConfiguration.Archive.self,
            fieldMaps: [
                ("extractors", "how its values become the summary: " + Extractor.allCases.map { TOMLText.quoted($0.rawValue) }.joined(separator: ", "))
            ]),
        Table("commands", "Commands over MQTT: set_time, read, republish.", BridgeConfiguration.Commands.self),
        Table("log", "Logging.", BridgeConfiguration.Log.self),
        Table(
            "plant", "The inverters summed into one more inverter (only with two or more inverters).",
            BridgeConfiguration.Plant.self),
        Table(
            "http", "The read-only status page, JSON status and Prometheus metrics (docs/status-page.md).",
            BridgeConfiguration.HTTP.self),
    ]

    /// The table called `name` (`mqtt.tls`).
    public static func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// The names of the tables directly inside `name` (the root for ""), for unknown-key checks:
    /// arrays of tables as `[[inverter]]`.
    static func subtables(of name: String) -> [String] {
        let children = tables.filter { table in
            let parts = table.name.split(separator: ".")
            return parts.dropLast().joined(separator: ".") == name
        }.map { table in
            let last = String(table.name.split(separator: ".").last ?? "")
            return table.isArray ? "[[\(last)]]" : last
        }
        let maps = table(name)?.fieldMaps.map(\.name) ?? []
        return children + maps
    }

    /// Every key as Markdown: a section per table with name, allowed values, default and doc.
    /// `docs/configuration.md` is this text (a test keeps them in step).
    public static var keyList: String {
        var lines = [
            "# Configuration keys",
            "",
            "Generated from the key table (the `entries` of the settings structs in `Sources/AuroraBridge/Configuration`;",
            "`aurora-bridge check-config --keys` prints it). Durations are in seconds. Strings are at most",
            "\(ConfigKey.maximumStringBytes) bytes of UTF-8 and hold no control characters. A value outside",
            "what is allowed is refused with `file:line: [table] key: what is allowed` and exit code 78.",
        ]
        for table in tables {
            lines += ["", "## \(table.title)", "", table.doc, "", "| key | allowed | default | purpose |", "|---|---|---|---|"]
            for key in table.keys {
                let doc = key.doc + (key.isSecret ? " Names a secret: its content is never printed." : "")
                let defaultValue = key.defaultIsValue ? "`\(key.defaultValue)`" : key.defaultValue
                lines.append("| `\(key.name)` | \(key.allowed.markdownCell) | \(defaultValue.markdownCell) | \(doc.markdownCell) |")
            }
            for map in table.fieldMaps {
                lines.append("| `\(map.name).<field>` | \(map.doc.markdownCell) | none | By original field name. |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The text inside a Markdown table cell: `|` escaped.
    fileprivate var markdownCell: String {
        split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}

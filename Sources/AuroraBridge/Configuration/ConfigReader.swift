/// Reads typed values out of ``ConfigTable``s and collects every problem with its line.
///
/// ``read(_:into:_:)`` sets the settings of a table from its entries, each value read by its
/// ``ConfigValue`` type; a value absent or wrong (reported) leaves the default.
struct ConfigReader {
    /// The file name used in messages.
    let file: String
    /// Lines of tables and keys in the source text.
    let locator: KeyLocator
    /// Whether the secret files the configuration names are read.
    let secretFiles: SecretFiles
    /// Everything wrong so far.
    private(set) var problems: [ConfigurationError.Problem] = []

    init(file: String, locator: KeyLocator, secretFiles: SecretFiles) {
        self.file = file
        self.locator = locator
        self.secretFiles = secretFiles
    }

    // MARK: - Reporting

    /// The line of `key` in `table`, or of the table itself.
    func line(_ table: ConfigTable, _ key: String? = nil, element: Int? = nil) -> Int? {
        var path = table.path
        if let key { path.append(key) }
        if let element, let line = locator.line(of: path + [String(element)]) { return line }
        return locator.line(of: path) ?? locator.line(of: table.path)
    }

    /// How messages name `key` in `table`: `[mqtt] port`, `[mqtt]`, `port` (at the root).
    func subject(_ table: ConfigTable, _ key: String?) -> String {
        [table.title, key ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Records a problem with `key` of `table` (or the table itself when `key` is nil).
    mutating func report(_ table: ConfigTable, _ key: String?, element: Int? = nil, _ message: String) {
        report(line: line(table, key, element: element), subject: subject(table, key), message)
    }

    /// Records a problem at a given line.
    mutating func report(line: Int?, subject: String, _ message: String) {
        problems.append(ConfigurationError.Problem(file: file, line: line, subject: subject, message: message))
    }

    /// Reports every string (or quoted key) that holds an escaped NUL: TOMLKit cuts such
    /// strings short, so they are found in the source text by ``KeyLocator``.
    mutating func checkEscapedNULs() {
        for (path, line) in locator.escapedNULs {
            var names = path
            while let last = names.last, Int(last) != nil { names.removeLast() }
            let key = names.popLast() ?? ""
            let isArray = names.contains { Int($0) != nil }
            let tableName = names.filter { Int($0) == nil }.joined(separator: ".")
            let title = tableName.isEmpty ? "" : isArray ? "[[\(tableName)]]" : "[\(tableName)]"
            let subject = [title, TOMLText.key(key)].filter { !$0.isEmpty }.joined(separator: " ")
            report(line: line, subject: subject, "a string must not contain NUL (\\u0000); remove it")
        }
    }

    // MARK: - Unknown keys and tables

    /// Reports every key of `table` that ``ConfigSchema`` declares neither as a key nor as a
    /// sub-table, suggesting the nearest valid name. `special` gives a message of its own for
    /// keys that are known mistakes.
    mutating func checkKeys(_ table: ConfigTable, special: [String: String] = [:]) {
        let keys = ConfigSchema.table(table.name)?.keys.map(\.name) ?? []
        let tables = ConfigSchema.subtables(of: table.name)
        let tableNames = tables.map(\.trimmingBrackets)
        for (key, value) in table.entries.sorted(by: { $0.key < $1.key }) where !keys.contains(key) {
            if let index = tableNames.firstIndex(of: key) {
                let isArray = tables[index].hasPrefix("[[")
                if isArray ? !value.isArrayOfTables : !value.isTable {
                    let expected = isArray ? "one or more \(displayName(tables[index], in: table)) tables" : "a table"
                    report(table, key, "expected \(expected), got \(value.shown)")
                }
            } else if let message = special[key] {
                report(table, key, message)
            } else if value.isTable || value.isArrayOfTables {
                let child = table.subtable(key)
                let title = value.isTable ? child.title : "[[\(child.name)]]"
                let names = tables.map { displayName($0, in: table) }
                let hint = suggestion(for: key, keys: keys, tables: tables, in: table)
                    ?? (names.isEmpty ? "; this table has no sub-tables" : "; allowed: " + names.joined(separator: ", "))
                report(line: line(table, key), subject: title, "unknown table" + hint)
            } else {
                var hint = keys.isEmpty ? "" : "; allowed keys: " + keys.joined(separator: ", ")
                if !tables.isEmpty {
                    hint += (keys.isEmpty ? "; allowed tables: " : "; tables: ")
                        + tables.map { displayName($0, in: table) }.joined(separator: ", ")
                }
                report(table, key, "unknown key" + (suggestion(for: key, keys: keys, tables: tables, in: table) ?? hint))
            }
        }
    }

    /// `; did you mean "host"?` or `; did you mean [mqtt.tls]?`, when a valid name is near `key`.
    private func suggestion(for key: String, keys: [String], tables: [String], in table: ConfigTable) -> String? {
        let tableNames = tables.map(\.trimmingBrackets)
        guard let nearest = NameSuggestion.nearest(to: key, in: keys + tableNames) else { return nil }
        if let index = tableNames.firstIndex(of: nearest) {
            return "; did you mean \(displayName(tables[index], in: table))?"
        }
        return "; did you mean \(TOMLText.quoted(nearest))?"
    }

    /// `[mqtt.tls]` for the sub-table `tls` of `[mqtt]`, `[[inverter]]` for `[[inverter]]` at the root.
    private func displayName(_ table: String, in parent: ConfigTable) -> String {
        let name = table.trimmingBrackets
        let full = parent.name.isEmpty ? name : "\(parent.name).\(name)"
        return table.hasPrefix("[[") ? "[[\(full)]]" : "[\(full)]"
    }

    // MARK: - Typed values

    /// Reads every key of `entries` from `table` over `settings`, in file order; a key absent or
    /// wrong (reported) keeps the value `settings` had.
    mutating func read<Section: ConfigSection>(
        _ table: ConfigTable, into settings: inout Section, _ entries: [ConfigEntry<Section>] = Section.entries
    ) {
        for entry in entries { entry.read(&settings, table, &self) }
    }

    /// A table that needs nothing but its entries: unknown keys reported, every key read over the
    /// defaults.
    mutating func section<Section: ConfigSection>(_ table: ConfigTable) -> Section {
        checkKeys(table)
        var settings = Section.defaults
        read(table, into: &settings)
        return settings
    }

    /// The value of `key` in `table` as `convert` takes it; nil when absent, or when `convert`
    /// refuses it (reported as `expected <what>, got <value>`).
    mutating func value<Value>(
        _ table: ConfigTable, _ key: ConfigKey, expected what: String, _ convert: (ConfigNode) -> Value?
    ) -> Value? {
        guard let value = table.entries[key.name] else { return nil }
        if let converted = convert(value) { return converted }
        report(table, key.name, "expected \(what), got \(value.shown)")
        return nil
    }

    /// One of `choices`, for a key of a field map (`[archive.extractors]`), whose keys are field
    /// names rather than declared keys.
    mutating func choice(_ table: ConfigTable, _ key: String, from choices: [String]) -> String? {
        guard let value = table.entries[key] else { return nil }
        if case .string(let text) = value, choices.contains(text) { return text }
        report(table, key, Self.expectedChoice(choices, got: value))
        return nil
    }

    /// `expected one of "a", "b", got "c"; did you mean "a"?`
    static func expectedChoice(_ choices: [String], got value: ConfigNode) -> String {
        var message = "expected one of \(choices.map(TOMLText.quoted).joined(separator: ", ")), got \(value.shown)"
        if case .string(let text) = value, let nearest = NameSuggestion.nearest(to: text, in: choices) {
            message += "; did you mean \(TOMLText.quoted(nearest))?"
        }
        return message
    }

    /// An array of strings, each with its index (for locating it); wrong elements are reported
    /// and left out.
    mutating func strings(_ table: ConfigTable, _ key: ConfigKey) -> [(index: Int, value: String)]? {
        guard let elements = value(table, key, expected: "an array of strings", { if case .array(let all) = $0 { all } else { nil } })
        else { return nil }
        var result: [(index: Int, value: String)] = []
        for (index, element) in elements.enumerated() {
            if case .string(let text) = element {
                result.append((index, text))
            } else {
                report(table, key.name, element: index, "expected an array of strings, got \(element.shown) in it")
            }
        }
        return result
    }
}

extension ConfigNode {
    /// Whether the value is a table.
    fileprivate var isTable: Bool {
        if case .table = self { return true }
        return false
    }

    /// Whether the value is a non-empty array of tables (`[[name]]`).
    fileprivate var isArrayOfTables: Bool {
        if case .array(let elements) = self { return !elements.isEmpty && elements.allSatisfy(\.isTable) }
        return false
    }
}

extension String {
    /// `inverter` for `[[inverter]]`, `tls` for `[tls]` or `tls`.
    fileprivate var trimmingBrackets: String {
        var name = Substring(self)
        while name.hasPrefix("[") { name = name.dropFirst() }
        while name.hasSuffix("]") { name = name.dropLast() }
        return String(name)
    }
}

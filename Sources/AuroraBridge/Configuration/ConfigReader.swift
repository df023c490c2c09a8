/// Reads typed values out of ``ConfigTable``s and collects every problem with its line.
///
/// Each getter returns `nil` both when the key is absent and when its value is wrong (the
/// latter is reported), so callers write `reader.string(table, "host") ?? defaults.host`.
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

    /// The declaration of `key` in `table`; every key read must be in ``ConfigSchema``.
    private func declaration(_ table: ConfigTable, _ key: String) -> ConfigKey {
        guard let declared = ConfigSchema.table(table.name)?[key] else {
            preconditionFailure("\(table.title) \(key) is read but not declared in ConfigSchema")
        }
        return declared
    }

    /// A string as its declaration allows: at most ``ConfigKey/maximumStringBytes`` of UTF-8,
    /// no control characters, not empty unless allowed.
    mutating func string(_ table: ConfigTable, _ key: String) -> String? {
        let declared = declaration(table, key)
        guard case .string(let what, let emptyAllowed) = declared.kind else {
            preconditionFailure("\(table.title) \(key) is not declared as a string")
        }
        guard let value = table.entries[key] else { return nil }
        guard case .string(let text) = value else {
            report(table, key, "expected \(what), got \(value.shown)")
            return nil
        }
        if text.isEmpty && !emptyAllowed {
            report(table, key, "expected \(what), got an empty string")
        } else if text.utf8.count > ConfigKey.maximumStringBytes {
            report(table, key, "expected \(what) of at most \(ConfigKey.maximumStringBytes) bytes, got \(text.utf8.count) bytes")
        } else if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            report(table, key, "expected \(what) without control characters (line breaks, tabs, escapes below \\u0020), got \(value.shown)")
        } else {
            return text
        }
        return nil
    }

    /// `true` or `false`.
    mutating func bool(_ table: ConfigTable, _ key: String) -> Bool? {
        guard case .boolean = declaration(table, key).kind else {
            preconditionFailure("\(table.title) \(key) is not declared as a boolean")
        }
        guard let value = table.entries[key] else { return nil }
        guard case .boolean(let flag) = value else {
            report(table, key, "expected true or false, got \(value.shown)")
            return nil
        }
        return flag
    }

    /// An integer in its declared range or list; floats are refused, never converted.
    mutating func integer(_ table: ConfigTable, _ key: String) -> Int? {
        let declared = declaration(table, key)
        let isValid: (Int) -> Bool = switch declared.kind {
        case .integer(let range): range.contains
        case .integerChoice(let choices): choices.contains
        default: preconditionFailure("\(table.title) \(key) is not declared as an integer")
        }
        guard let value = table.entries[key] else { return nil }
        guard case .integer(let number) = value, isValid(number) else {
            report(table, key, "expected \(declared.allowed), got \(value.shown)")
            return nil
        }
        return number
    }

    /// A number of seconds in its declared range (to the microsecond); NaN, infinities and
    /// anything outside the range are refused before any conversion.
    mutating func duration(_ table: ConfigTable, _ key: String) -> Duration? {
        let declared = declaration(table, key)
        guard case .duration(let range, let wholeSeconds, let zeroAllowed) = declared.kind else {
            preconditionFailure("\(table.title) \(key) is not declared as a duration")
        }
        guard let value = table.entries[key] else { return nil }
        let number: Double? = switch value {
        case .integer(let integer): Double(integer)
        case .float(let float): float
        default: nil
        }
        guard let number, number.isFinite, range.contains(number) || (zeroAllowed && number == 0),
            !wholeSeconds || number == number.rounded()
        else {
            report(table, key, "expected \(declared.allowed), got \(value.shown)")
            return nil
        }
        return .seconds(fromConfig: number)
    }

    /// One of the declared choices (strings), suggesting the nearest on a typo.
    mutating func choice(_ table: ConfigTable, _ key: String) -> String? {
        guard case .choice(let choices) = declaration(table, key).kind else {
            preconditionFailure("\(table.title) \(key) is not declared as a choice")
        }
        return choice(table, key, from: choices)
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
    mutating func strings(_ table: ConfigTable, _ key: String) -> [(index: Int, value: String)]? {
        guard case .fieldNames = declaration(table, key).kind else {
            preconditionFailure("\(table.title) \(key) is not declared as an array")
        }
        guard let value = table.entries[key] else { return nil }
        guard case .array(let elements) = value else {
            report(table, key, "expected an array of strings, got \(value.shown)")
            return nil
        }
        var result: [(index: Int, value: String)] = []
        for (index, element) in elements.enumerated() {
            if case .string(let text) = element {
                result.append((index, text))
            } else {
                report(table, key, element: index, "expected an array of strings, got \(element.shown) in it")
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

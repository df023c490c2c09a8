/// Reads typed values out of ``ConfigTable``s and collects every problem with its line.
///
/// Each getter returns `nil` both when the key is absent and when its value is wrong (the
/// latter is reported), so callers write `reader.string(table, "host") ?? defaults.host`.
struct ConfigReader {
    /// The file name used in messages.
    let file: String
    /// Lines of tables and keys in the source text.
    let locator: KeyLocator
    /// Everything wrong so far.
    private(set) var problems: [ConfigurationError.Problem] = []

    init(file: String, locator: KeyLocator) {
        self.file = file
        self.locator = locator
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

    // MARK: - Unknown keys and tables

    /// Reports every key of `table` that is neither in `keys` nor in `tables` (sub-tables;
    /// names of arrays of tables are given as `[[name]]`), suggesting the nearest valid name.
    /// `special` gives a message of its own for keys that are known mistakes.
    mutating func checkKeys(
        _ table: ConfigTable, keys: [String], tables: [String] = [], special: [String: String] = [:]
    ) {
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

    /// A string.
    mutating func string(_ table: ConfigTable, _ key: String) -> String? {
        guard let value = table.entries[key] else { return nil }
        guard case .string(let text) = value else {
            report(table, key, "expected a string, got \(value.shown)")
            return nil
        }
        return text
    }

    /// A non-empty string.
    mutating func nonEmptyString(_ table: ConfigTable, _ key: String, what: String = "a string") -> String? {
        guard let text = string(table, key) else { return nil }
        guard !text.isEmpty else {
            report(table, key, "expected \(what), got an empty string")
            return nil
        }
        return text
    }

    /// `true` or `false`.
    mutating func bool(_ table: ConfigTable, _ key: String) -> Bool? {
        guard let value = table.entries[key] else { return nil }
        guard case .boolean(let flag) = value else {
            report(table, key, "expected true or false, got \(value.shown)")
            return nil
        }
        return flag
    }

    /// An integer in `range` (an upper bound of `Int.max` means "at least").
    mutating func integer(_ table: ConfigTable, _ key: String, in range: ClosedRange<Int>) -> Int? {
        let expected = range.upperBound == Int.max
            ? "an integer of at least \(range.lowerBound)"
            : "an integer from \(range.lowerBound) to \(range.upperBound)"
        return integer(table, key, expected: expected) { range.contains($0) }
    }

    /// An integer for which `isValid` holds; `expected` says which ("one of 1200, 2400, …").
    mutating func integer(
        _ table: ConfigTable, _ key: String, expected: String, where isValid: (Int) -> Bool
    ) -> Int? {
        guard let value = table.entries[key] else { return nil }
        guard case .integer(let number) = value, isValid(number) else {
            report(table, key, "expected \(expected), got \(value.shown)")
            return nil
        }
        return number
    }

    /// A number of seconds (integer or fractional, to the microsecond) for which `isValid` holds;
    /// `allowed` says which ("greater than 0"). With `wholeSeconds`, fractions are refused.
    mutating func seconds(
        _ table: ConfigTable, _ key: String, allowed: String, wholeSeconds: Bool = false,
        where isValid: (Double) -> Bool
    ) -> Duration? {
        guard let value = table.entries[key] else { return nil }
        let number: Double? = switch value {
        case .integer(let integer): Double(integer)
        case .float(let float) where !wholeSeconds || float == float.rounded(): float
        default: nil
        }
        guard let number, number.isFinite, isValid(number) else {
            let what = wholeSeconds ? "a whole number of seconds" : "a number of seconds"
            report(table, key, "expected \(what) \(allowed), got \(value.shown)")
            return nil
        }
        return .seconds(fromConfig: number)
    }

    /// One of `choices` (strings), suggesting the nearest on a typo.
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

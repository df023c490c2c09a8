import AuroraProtocol

extension BridgeConfiguration {
    /// `[fields]`: renaming and leaving out loop fields.
    ///
    /// Written as `exclude = ["leakCurrent", …]` and `rename = { gridPower = "power", … }` (or a
    /// `[fields.rename]` table), always with the original (WeeWX Aurora) names as keys. New names
    /// must be unique and topic-safe (letters, digits, `-`, `_`); `dateTime` is taken by the JSON
    /// loop topic.
    public struct Fields: Sendable, Equatable {
        /// `exclude`: fields that are neither published nor archived.
        public var exclude: Set<String> = []
        /// `rename`: original name → published name.
        public var rename: [String: String] = [:]

        /// Every loop field, by its original name, in publishing order: the polled measures,
        /// the energy counters, `inverterDateTime`, and the derived `energy`.
        public static let known: [String] =
            MeasureType.polled.compactMap(\.fieldName) + EnergyPeriod.allCases.map(\.fieldName)
            + ["inverterDateTime", "energy"]

        /// The name `field` (an original name) is published under, or `nil` when it is excluded.
        public func publishedName(of field: String) -> String? {
            exclude.contains(field) ? nil : rename[field] ?? field
        }

        /// Whether `name` can be a published field name: letters, digits, `-` and `_`.
        public static func isValidName(_ name: String) -> Bool {
            !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "-" || scalar == "_"
            }
        }
    }
}

extension BridgeConfiguration.Fields: ConfigSection {
    static let defaults = Self()

    /// `exclude`: its names are checked one by one, each reported at its own line.
    private static let excludeKey = ConfigKey("exclude", .fieldNames, default: "[]", "Fields that are neither published nor archived.")

    static let entries = [
        ConfigEntry<Self>(
            key: excludeKey,
            read: { fields, table, reader in
                for (index, name) in reader.strings(table, excludeKey) ?? [] {
                    if let problem = unknownFieldProblem(name) {
                        reader.report(table, "exclude", element: index, problem)
                    } else {
                        fields.exclude.insert(name)
                    }
                }
            },
            show: { fields in ["exclude = \(TOMLText.array(known.filter(fields.exclude.contains)))"] })
    ]

    /// `rename = { gridPower = "power", … }` as the effective configuration shows it.
    var renameLine: String {
        let renames = Self.known.compactMap { field in
            rename[field].map { "\(TOMLText.key(field)) = \(TOMLText.quoted($0))" }
        }
        return "rename = " + (renames.isEmpty ? "{}" : "{ " + renames.joined(separator: ", ") + " }")
    }

    /// Reads `[fields]`: `exclude`, then the renames of `[fields.rename]` (or `rename = { … }`).
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self {
        var fields: Self = reader.section(table)
        let renames = table.subtable("rename")
        var taken: [String: String] = [:]  // published name → original name
        for field in known where !fields.exclude.contains(field) && renames.entries[field] == nil {
            taken[field] = field
        }
        for field in renames.entries.keys.sorted() {
            let subject = "\(table.title) rename.\(TOMLText.key(field))"
            let line = reader.line(renames, field)
            if let problem = unknownFieldProblem(field) {
                reader.report(line: line, subject: subject, problem)
                continue
            }
            guard case .string(let newName) = renames.entries[field] else {
                reader.report(
                    line: line, subject: subject,
                    "expected the new name as a string, got \(renames.entries[field]?.shown ?? "nothing")")
                continue
            }
            if fields.exclude.contains(field) {
                reader.report(line: line, subject: subject, "\(field) is excluded; rename it or exclude it, not both")
            } else if !isValidName(newName) {
                reader.report(
                    line: line, subject: subject,
                    "expected a name of letters, digits, \"-\" and \"_\" (it is used in topics), got \(TOMLText.quoted(newName))")
            } else if newName == "dateTime" {
                reader.report(line: line, subject: subject, "\"dateTime\" is taken by the JSON loop topic; choose another name")
            } else if let other = taken[newName] {
                let owner = other == newName ? "the field \(other)" : "\(other), renamed to it"
                reader.report(line: line, subject: subject, "\(TOMLText.quoted(newName)) is already the name of \(owner); names must be unique")
            } else {
                taken[newName] = field
                fields.rename[field] = newName
            }
        }
        return fields
    }

    /// Why `name` is not a field name, with the nearest one suggested.
    static func unknownFieldProblem(_ name: String) -> String? {
        guard !known.contains(name) else { return nil }
        if let nearest = NameSuggestion.nearest(to: name, in: known) {
            return "unknown field \(TOMLText.quoted(name)); did you mean \(TOMLText.quoted(nearest))?"
        }
        return "unknown field \(TOMLText.quoted(name)); the fields are " + known.joined(separator: ", ")
    }
}

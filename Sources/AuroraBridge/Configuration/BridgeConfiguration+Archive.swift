extension BridgeConfiguration {
    /// `[archive]`: interval summaries, kept in SQLite and published.
    public struct Archive: Sendable, Equatable {
        /// `interval`: the summary interval, whole seconds from 1 to 86400, aligned to wall-clock
        /// multiples. Default 300 s.
        public var interval: Duration
        /// `interval` in whole seconds (the file only accepts whole seconds).
        public var intervalSeconds: Int64 { interval.components.seconds }
        /// `database`: the SQLite file. Default `/var/lib/aurora-bridge/archive.sqlite`.
        public var database: String
        /// `keep_days`: how many days of summaries the database keeps, at least 1. Default 365.
        public var keepDays: Int
        /// `[archive.extractors]`: the extractor of every known field (by original name), the
        /// defaults of ``Extractor/primary(for:overrides:)`` overridden by the file.
        public var extractors: [String: Extractor]

        /// Archive settings; every parameter defaults to the documented default, and `overrides`
        /// replaces the default extractors of the fields it names.
        public init(
            interval: Duration = .seconds(300), database: String = "/var/lib/aurora-bridge/archive.sqlite",
            keepDays: Int = 365, overrides: [String: Extractor] = [:]
        ) {
            self.interval = interval
            self.database = database
            self.keepDays = keepDays
            var extractors: [String: Extractor] = [:]
            for field in Fields.known {
                extractors[field] = overrides[field] ?? Extractor.primary(for: field)
            }
            self.extractors = extractors
        }

        /// The effective extractor of `field` (an original field name).
        public func extractor(for field: String) -> Extractor {
            extractors[field] ?? Extractor.primary(for: field)
        }
    }
}

extension BridgeConfiguration.Archive {
    /// Reads `[archive]` and `[archive.extractors]`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self {
        reader.checkKeys(table, keys: ["interval", "database", "keep_days"], tables: ["extractors"])
        let interval = reader.seconds(table, "interval", allowed: "from 1 to 86400", wholeSeconds: true) {
            (1...86400).contains($0)
        }
        let database = reader.nonEmptyString(table, "database", what: "the path of a file")
        let keepDays = reader.integer(table, "keep_days", in: 1...Int.max)
        let extractorTable = table.subtable("extractors")
        var overrides: [String: Extractor] = [:]
        let choices = Extractor.allCases.map(\.rawValue)
        for field in extractorTable.entries.keys.sorted() {
            if let problem = BridgeConfiguration.Fields.unknownFieldProblem(field) {
                reader.report(extractorTable, field, problem + " (extractors are set by original field name)")
            } else if let name = reader.choice(extractorTable, field, from: choices) {
                overrides[field] = Extractor(rawValue: name)
            }
        }
        var archive = Self(overrides: overrides)
        if let interval { archive.interval = interval }
        if let database { archive.database = database }
        if let keepDays { archive.keepDays = keepDays }
        return archive
    }
}

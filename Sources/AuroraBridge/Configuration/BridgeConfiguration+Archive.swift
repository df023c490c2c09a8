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
        /// `keep_days`: how many days of summaries the database keeps, 1 to 36500. Default 365.
        public var keepDays: Int
        /// `busy_timeout`: how long a write waits for a database another process has locked,
        /// seconds from 0.001 to 600. Default 5 s.
        public var busyTimeout: Duration
        /// `queue_limit`: summaries kept in memory while the database cannot be written,
        /// 1 to 1,000,000. Default 10000.
        public var queueLimit: Int
        /// `window`: summaries in flight to the broker at a time, 1 to 1000. Default 32.
        public var window: Int
        /// `[archive.extractors]`: the extractor of every known field (by original name), the
        /// defaults of ``Extractor/primary(for:overrides:)`` overridden by the file.
        public var extractors: [String: Extractor]

        /// Archive settings; every parameter defaults to the documented default, and `overrides`
        /// replaces the default extractors of the fields it names.
        public init(
            interval: Duration = .seconds(300), database: String = "/var/lib/aurora-bridge/archive.sqlite",
            keepDays: Int = 365, busyTimeout: Duration = .seconds(5), queueLimit: Int = 10000, window: Int = 32,
            overrides: [String: Extractor] = [:]
        ) {
            self.interval = interval
            self.database = database
            self.keepDays = keepDays
            self.busyTimeout = busyTimeout
            self.queueLimit = queueLimit
            self.window = window
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
    /// Reads `[archive]` and `[archive.extractors]`. Without `database`, the archive goes in
    /// the service's state directory when systemd gives one (`$STATE_DIRECTORY`, the first if
    /// several: each instance of `aurora-bridge@.service` has its own), else in
    /// `/var/lib/aurora-bridge`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, environment: [String: String]) -> Self {
        reader.checkKeys(table)
        let interval = reader.duration(table, "interval")
        let database = reader.string(table, "database")
        let keepDays = reader.integer(table, "keep_days")
        let busyTimeout = reader.duration(table, "busy_timeout")
        let queueLimit = reader.integer(table, "queue_limit")
        let window = reader.integer(table, "window")
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
        if let database {
            archive.database = database
        } else if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first, state.hasPrefix("/") {
            archive.database = (state.hasSuffix("/") ? String(state) : state + "/") + "archive.sqlite"
        }
        if let keepDays { archive.keepDays = keepDays }
        if let busyTimeout { archive.busyTimeout = busyTimeout }
        if let queueLimit { archive.queueLimit = queueLimit }
        if let window { archive.window = window }
        return archive
    }
}

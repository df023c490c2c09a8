extension BridgeConfiguration {
    /// `[archive]`: interval summaries, kept in SQLite and published.
    public struct Archive: Sendable, Equatable {
        /// `interval`: the summary interval, aligned to wall-clock multiples.
        public var interval = Duration.seconds(300)
        /// `interval` in whole seconds (the file only accepts whole seconds).
        public var intervalSeconds: Int64 { interval.components.seconds }
        /// `database`: the SQLite file.
        public var database = "/var/lib/aurora-bridge/archive.sqlite"
        /// `keep_days`: how many days of summaries the database keeps.
        public var keepDays = 365
        /// `busy_timeout`: how long a write waits for a database another process has locked.
        public var busyTimeout = ArchiveStore.defaultBusyTimeout
        /// `queue_limit`: summaries kept in memory while the database cannot be written.
        public var queueLimit = 10000
        /// `window`: summaries in flight to the broker at a time.
        public var window = 32
        /// `[archive.extractors]`: the extractor of every known field (by original name), the
        /// defaults of ``Extractor/primary(for:overrides:)`` overridden by the file.
        public var extractors = Dictionary(
            uniqueKeysWithValues: Fields.known.map { ($0, Extractor.primary(for: $0)) })

        /// The effective extractor of `field` (an original field name).
        public func extractor(for field: String) -> Extractor {
            extractors[field] ?? Extractor.primary(for: field)
        }
    }
}

extension BridgeConfiguration.Archive: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init(
            "interval", \.interval, .duration(1...86400, wholeSeconds: true),
            "The summary interval, aligned to multiples of it on the clock."),
        .init(
            "database", \.database, .string(what: "the path of a file"),
            "The SQLite file; by default in $STATE_DIRECTORY (each systemd instance its own) when set."),
        .init("keep_days", \.keepDays, .integer(1...36500), "How many days of summaries the database keeps."),
        .init(
            "busy_timeout", \.busyTimeout, .duration(ConfigKey.minimumSeconds...600),
            "How long a write waits for a database another process has locked."),
        .init(
            "queue_limit", \.queueLimit, .integer(1...1_000_000),
            "Summaries kept in memory while the database cannot be written."),
        .init("window", \.window, .integer(1...1000), "Summaries in flight to the broker at a time."),
    ]

    /// `[archive.extractors]` as the effective configuration shows it.
    var extractorLines: [String] {
        ["", "[archive.extractors]"]
            + BridgeConfiguration.Fields.known.map { "\(TOMLText.key($0)) = \(TOMLText.quoted(extractor(for: $0).rawValue))" }
    }

    /// Reads `[archive]` and `[archive.extractors]`. Without `database`, the archive goes in
    /// the service's state directory when systemd gives one (`$STATE_DIRECTORY`, the first if
    /// several: each instance of `aurora-bridge@.service` has its own), else in
    /// `/var/lib/aurora-bridge`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, environment: [String: String]) -> Self {
        var archive: Self = reader.section(table)
        let extractorTable = table.subtable("extractors")
        let choices = Extractor.allCases.map(\.rawValue)
        for field in extractorTable.entries.keys.sorted() {
            if let problem = BridgeConfiguration.Fields.unknownFieldProblem(field) {
                reader.report(extractorTable, field, problem + " (extractors are set by original field name)")
            } else if let name = reader.choice(extractorTable, field, from: choices) {
                archive.extractors[field] = Extractor(rawValue: name)
            }
        }
        if table.entries["database"] == nil, let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first,
            state.hasPrefix("/")
        {
            archive.database = (state.hasSuffix("/") ? String(state) : state + "/") + "archive.sqlite"
        }
        return archive
    }
}

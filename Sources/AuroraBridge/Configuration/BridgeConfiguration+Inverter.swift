extension BridgeConfiguration {
    /// `[[inverter]]`: one inverter on the bus (one table per inverter).
    public struct Inverter: Sendable, Equatable {
        /// `name` (required): used in topics and logs; lowercase letters, digits, `-` and `_`;
        /// unique.
        public var name: String
        /// `address` (required): the RS485 address set on the inverter; unique on the bus.
        public var address: Int
        /// `model`: free text for logs and Home Assistant, e.g. `PVI-3.6-OUTD`.
        public var model: String?
        /// `poll_interval`: time between polls.
        public var pollInterval = Duration.seconds(10)
        /// `clock_sync` and `clock_tolerance`: whether the bridge keeps the inverter clock right.
        public var clockSync = ClockSyncSettings()

        /// Whether `name` is a valid inverter name: lowercase letters, digits, `-` and `_`.
        public static func isValidName(_ name: String) -> Bool {
            !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
                ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
            }
        }

        /// Why `name` cannot be an inverter's (or the plant's) name, if it cannot.
        static func nameProblem(_ name: String) -> String? {
            isValidName(name) ? nil
                : "expected lowercase letters, digits, \"-\" and \"_\" (it is used in topics), got \(TOMLText.quoted(name))"
        }
    }
}

extension BridgeConfiguration.Inverter: ConfigSection {
    /// The defaults, with placeholders for the required name and address (an empty name and
    /// address 0, which no valid value equals).
    static let defaults = Self(name: "", address: 0)

    static let entries: [ConfigEntry<Self>] = [
        .init(
            "name", \.name, .string(what: "an inverter name"),
            "Used in topics and logs: lowercase letters, digits, \"-\" and \"_\"; unique.", required: true
        ) { name, _ in nameProblem(name) },
        .init("address", \.address, .integer(1...63), "The RS485 address set on the inverter; unique.", required: true),
        .init("model", \.model, .string(what: "a model name"), "Free text for logs and Home Assistant."),
        .init("poll_interval", \.pollInterval, .duration(ConfigKey.minimumSeconds...ConfigKey.maximumSeconds), "Time between polls."),
        .init(
            "clock_sync", \.clockSync.mode, .choice(ClockSyncSettings.Mode.allCases.map(\.rawValue)),
            "\"daily\": compare the inverter clock with the host's once a day while awake and set it when off by more than clock_tolerance and the host clock is synchronised. Some models clear their history when the clock is set."),
        .init(
            "clock_tolerance", \.clockSync.tolerance, .duration(1...86400, wholeSeconds: true),
            "The largest inverter clock error clock_sync leaves alone."),
    ]

    /// Reads every `[[inverter]]`, checking that names and addresses are unique.
    static func readAll(_ root: ConfigTable, _ reader: inout ConfigReader) -> [Self] {
        guard case .array(let elements) = root.entries["inverter"], !elements.isEmpty else {
            if root.entries["inverter"] == nil {
                reader.report(
                    line: nil, subject: "[[inverter]]",
                    "missing; configure at least one inverter, e.g. [[inverter]] with name = \"inverter\" and address = 2")
            }
            return []
        }
        var inverters: [Self] = []
        var names: [String: Int?] = [:]
        var addresses: [Int: (name: String, line: Int?)] = [:]
        for (index, element) in elements.enumerated() {
            guard case .table(let entries) = element else { continue }
            let table = ConfigTable(
                path: ["inverter", String(index)], name: "inverter", isArrayElement: true, entries: entries,
                isPresent: true)
            guard let inverter = read(table, &reader) else { continue }
            if let previous = names[inverter.name] {
                reader.report(
                    table, "name",
                    "\(TOMLText.quoted(inverter.name)) is already the name of another inverter"
                        + (previous.map { " (line \($0))" } ?? "") + "; names must be unique")
            } else {
                names[inverter.name] = reader.line(table, "name")
            }
            if let previous = addresses[inverter.address] {
                reader.report(
                    table, "address",
                    "\(inverter.address) is already the address of inverter \(TOMLText.quoted(previous.name))"
                        + (previous.line.map { " (line \($0))" } ?? "") + "; addresses must be unique on the bus")
            } else {
                addresses[inverter.address] = (inverter.name, reader.line(table, "address"))
            }
            inverters.append(inverter)
        }
        return inverters
    }

    /// Reads one `[[inverter]]`; `nil` when `name` or `address` is missing or wrong (reported).
    private static func read(_ table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        reader.checkKeys(table)
        var inverter = defaults
        reader.read(table, into: &inverter)
        let missing = ["name", "address"].filter { table.entries[$0] == nil }
        if !missing.isEmpty {
            reader.report(
                table, nil,
                "missing \(missing.joined(separator: " and ")); every inverter needs a name (for topics) "
                    + "and its RS485 address (1 to 63)")
        }
        guard inverter.name != defaults.name, inverter.address != defaults.address else { return nil }
        return inverter
    }
}

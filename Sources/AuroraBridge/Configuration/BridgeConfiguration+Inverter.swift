extension BridgeConfiguration {
    /// `[[inverter]]`: one inverter on the bus (one table per inverter).
    public struct Inverter: Sendable, Equatable {
        /// `name` (required): used in topics and logs; lowercase letters, digits, `-` and `_`;
        /// unique.
        public var name: String
        /// `address` (required): the RS485 address set on the inverter, 1 to 63; unique on the bus.
        public var address: Int
        /// `model`: free text for logs and Home Assistant, e.g. `PVI-3.6-OUTD`. Default none.
        public var model: String?
        /// `poll_interval`: time between polls, seconds from 0.001 to 604800 (a week). Default 10 s.
        public var pollInterval: Duration
        /// `clock_sync` and `clock_tolerance`: whether the bridge keeps the inverter clock right.
        /// Default off, 30 s.
        public var clockSync = ClockSyncSettings()

        /// An inverter; `model` defaults to none and `pollInterval` to 10 s.
        public init(name: String, address: Int, model: String? = nil, pollInterval: Duration = .seconds(10)) {
            self.name = name
            self.address = address
            self.model = model
            self.pollInterval = pollInterval
        }

        /// Whether `name` is a valid inverter name: lowercase letters, digits, `-` and `_`.
        public static func isValidName(_ name: String) -> Bool {
            !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
                ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
            }
        }
    }
}

extension BridgeConfiguration.Inverter {
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
        var name = reader.string(table, "name")
        if let given = name, !isValidName(given) {
            reader.report(
                table, "name",
                "expected lowercase letters, digits, \"-\" and \"_\" (it is used in topics), got \(TOMLText.quoted(given))")
            name = nil
        }
        let address = reader.integer(table, "address")
        let model = reader.string(table, "model")
        let pollInterval = reader.duration(table, "poll_interval")
        let clockSync = reader.choice(table, "clock_sync").flatMap(ClockSyncSettings.Mode.init(rawValue:))
        let clockTolerance = reader.duration(table, "clock_tolerance")
        let missing = [("name", table.entries["name"]), ("address", table.entries["address"])]
            .filter { $0.1 == nil }.map(\.0)
        if !missing.isEmpty {
            reader.report(
                table, nil,
                "missing \(missing.joined(separator: " and ")); every inverter needs a name (for topics) "
                    + "and its RS485 address (1 to 63)")
        }
        guard let name, let address else { return nil }
        var inverter = Self(name: name, address: address, model: model)
        if let pollInterval { inverter.pollInterval = pollInterval }
        if let clockSync { inverter.clockSync.mode = clockSync }
        if let clockTolerance { inverter.clockSync.tolerance = clockTolerance.seconds }
        return inverter
    }
}

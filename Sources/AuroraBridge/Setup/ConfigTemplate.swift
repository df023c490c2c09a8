/// A commented `bridge.conf` for a bus and the inverters found on it, written by
/// `aurora-bridge init`.
///
/// Generated from ``ConfigSchema``, so it documents every key there is: the values init knows
/// (the port, the broker, one `[[inverter]]` per inverter) are set; every other key is shown
/// commented with its doc and default (`#key = default`), as in the sample `bridge.conf`.
public struct ConfigTemplate: Sendable {
    /// An inverter to configure.
    public struct Inverter: Sendable, Hashable {
        /// Its bus address.
        public var address: UInt8
        /// Its model, e.g. `PVI-3.6-OUTD`.
        public var model: String
        /// Its serial number, for the comment.
        public var serialNumber: String

        /// An inverter at `address`.
        public init(address: UInt8, model: String, serialNumber: String) {
            self.address = address
            self.model = model
            self.serialNumber = serialNumber
        }
    }

    /// `[bus] port`: the serial device or `tcp://host:port`.
    public var port: String
    /// `[mqtt] host`, or nil to leave the default.
    public var brokerHost: String?
    /// `[mqtt] port`, or nil to leave the default.
    public var brokerPort: Int?
    /// The inverters, one `[[inverter]]` each.
    public var inverters: [Inverter]

    /// A template for `inverters` on `port`, publishing to the broker at `brokerHost:brokerPort`.
    public init(port: String, brokerHost: String? = nil, brokerPort: Int? = nil, inverters: [Inverter]) {
        self.port = port
        self.brokerHost = brokerHost
        self.brokerPort = brokerPort
        self.inverters = inverters
    }

    /// The inverter name made from `model` and `address`: the model lowercased, every run of
    /// other characters than letters and digits turned into one `-`, then `-address`
    /// (`PVI-3.6-OUTD` at 2 is `pvi-3-6-outd-2`); `inverter-2` when the model has no letters or digits.
    public static func name(model: String, address: UInt8) -> String {
        var slug = ""
        for character in model.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.last == "-" { slug.removeLast() }
        return "\(slug.isEmpty ? "inverter" : slug)-\(address)"
    }

    /// The file's text.
    public var text: String {
        var lines = [
            "# aurora-bridge configuration (TOML), written by `aurora-bridge init`.",
            "#",
            "# Lines written `#key = value` show a key's default: remove the `#` to change it.",
            "# `aurora-bridge check-config` validates the file; docs/configuration.md lists every key.",
            "# Secrets never go in this file: the MQTT password comes from the environment variable",
            "# \(BridgeConfiguration.passwordVariable) or from the file named by password_file.",
        ]
        for table in ConfigSchema.tables {
            lines.append("")
            if table.isArray {
                lines += inverterTables(table)
                continue
            }
            lines += section(table, values: values(of: table.name))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The keys init sets in the table called `name`, as TOML values.
    private func values(of name: String) -> [String: String] {
        switch name {
        case "mqtt":
            var values: [String: String] = [:]
            if let brokerHost { values["host"] = TOMLText.quoted(brokerHost) }
            if let brokerPort { values["port"] = String(brokerPort) }
            return values
        case "bus":
            return ["port": TOMLText.quoted(port)]
        default:
            return [:]
        }
    }

    /// One table: its header (commented when its mere presence turns something on, as
    /// `[mqtt.tls]`), then every key, set or commented with its default.
    private func section(_ table: ConfigSchema.Table, values: [String: String], comment: String? = nil) -> [String] {
        let presenceMatters = values.isEmpty && table.keys.contains { $0.name == "enabled" }
        var lines = ["# \(table.doc)", presenceMatters ? "# \(table.title)" : table.title]
        if let comment { lines.append("# \(comment)") }
        for key in table.keys {
            lines.append("# \(key.doc) \(key.allowed.prefix(1).uppercased() + key.allowed.dropFirst()); default: \(key.defaultValue).")
            if let value = values[key.name] {
                lines.append("\(key.name) = \(value)")
            } else if key.defaultIsValue {
                lines.append("#\(key.name) = \(key.defaultValue)")
            }
        }
        for map in table.fieldMaps {
            lines += ["# [\(table.name).\(map.name)]: each key a field name, each value \(map.doc)."]
        }
        return lines
    }

    private func inverterTables(_ table: ConfigSchema.Table) -> [String] {
        var used: Set<String> = []
        return inverters.flatMap { inverter in
            var name = Self.name(model: inverter.model, address: inverter.address)
            var suffix = 2
            while used.contains(name) {
                name = "\(Self.name(model: inverter.model, address: inverter.address))-\(suffix)"
                suffix += 1
            }
            used.insert(name)
            let values = ["name": TOMLText.quoted(name), "address": String(inverter.address)]
            return section(table, values: values, comment: "\(inverter.model), serial number \(inverter.serialNumber)") + [""]
        }
    }
}

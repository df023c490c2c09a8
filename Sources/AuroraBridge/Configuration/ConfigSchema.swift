import Logging

/// Every table and key of `bridge.conf`, in file order: the one place a key is declared.
///
/// ``ConfigReader`` checks values against it and suggests names from it; `check-config --keys`
/// and `docs/configuration.md` are generated from it (``keyList``).
public enum ConfigSchema {
    /// One table: its name as written in a header (`mqtt.tls`), its keys and sub-tables.
    public struct Table: Sendable {
        /// The dotted name: `mqtt`, `mqtt.tls`, `inverter`.
        public let name: String
        /// Whether it is an array of tables (`[[inverter]]`).
        public let isArray: Bool
        /// One line on what it is for.
        public let doc: String
        /// Its keys, in file order.
        public let keys: [ConfigKey]
        /// Sub-tables whose keys are field names (`[fields.rename]`), with what they map a field to.
        public let fieldMaps: [(name: String, doc: String)]

        /// A table from its parts.
        init(_ name: String, array: Bool = false, _ doc: String, keys: [ConfigKey], fieldMaps: [(String, String)] = []) {
            self.name = name
            self.isArray = array
            self.doc = doc
            self.keys = keys
            self.fieldMaps = fieldMaps.map { (name: $0.0, doc: $0.1) }
        }

        /// `[mqtt.tls]`, `[[inverter]]`.
        public var title: String { isArray ? "[[\(name)]]" : "[\(name)]" }

        /// The key called `name`.
        public subscript(_ name: String) -> ConfigKey? { keys.first { $0.name == name } }
    }

    private static let week = ConfigKey.maximumSeconds
    private static let millisecond = ConfigKey.minimumSeconds

    /// Every table, in file order.
    public static let tables: [Table] = [
        Table(
            "mqtt", "The broker and how to connect to it.",
            keys: [
                ConfigKey("host", .string(what: "a host name or address"), default: "\"localhost\"", "The broker's host name or address."),
                ConfigKey("port", .integer(1...65535), default: "1883, or 8883 with TLS", "The broker's TCP port."),
                ConfigKey("client_id", .string(what: "a client identifier"), default: "\"aurora-bridge\"", "The MQTT client identifier."),
                ConfigKey("username", .string(what: "a user name"), default: "none", "The user name, for brokers that require a login."),
                ConfigKey(
                    "password_file", .string(what: "the path of a file"), default: "none",
                    "A file holding the password (the environment variable \(BridgeConfiguration.passwordVariable) wins).",
                    secret: true),
                ConfigKey("keepalive", .duration(5...65535, wholeSeconds: true), default: "60", "The MQTT keep-alive."),
                ConfigKey("qos", .integer(0...2), default: "1", "The quality of service of every publication."),
                ConfigKey(
                    "protocol", .choice(BridgeConfiguration.MQTT.ProtocolVersion.allCases.map(\.rawValue)),
                    default: "\"3.1.1\"", "The MQTT protocol version."),
                ConfigKey("reconnect_min", .duration(1...3600, wholeSeconds: true), default: "1", "The first wait before reconnecting."),
                ConfigKey(
                    "reconnect_max", .duration(1...3600, wholeSeconds: true), default: "60",
                    "The longest wait between reconnects (the wait doubles up to it); at least reconnect_min."),
                ConfigKey(
                    "max_disconnected", .duration(1...week, wholeSeconds: true), default: "600",
                    "After this long disconnected with reconnects failing, the watchdog restarts the bridge."),
            ]),
        Table(
            "mqtt.tls", "TLS to the broker: present means on; certificates or a pre-shared key, not both.",
            keys: [
                ConfigKey("enabled", .boolean, default: "true", "Whether TLS is on (the table's presence turns it on)."),
                ConfigKey("ca_file", .string(what: "the path of a file"), default: "none", "A PEM file of CA certificates that verify the broker."),
                ConfigKey("ca_path", .string(what: "the path of a directory"), default: "none", "A directory of hashed PEM CA certificates."),
                ConfigKey("cert_file", .string(what: "the path of a file"), default: "none", "The client certificate (PEM), with key_file."),
                ConfigKey("key_file", .string(what: "the path of a file"), default: "none", "The client certificate's private key (PEM), with cert_file.", secret: true),
                ConfigKey("insecure", .boolean, default: "false", "Skip checking the broker's host name against its certificate (testing only)."),
                ConfigKey("psk_identity", .string(what: "an identity"), default: "none", "The identity for TLS with a pre-shared key, with psk_file."),
                ConfigKey("psk_file", .string(what: "the path of a file"), default: "none", "A file holding the pre-shared key in hexadecimal.", secret: true),
            ]),
        Table(
            "topics", "Topic templates, with {prefix}, {inverter}, {address} and (field topics only) {field}.",
            keys: [
                ConfigKey("prefix", .string(what: "a topic prefix"), default: "\"aurora\"", "Replaces {prefix}."),
                ConfigKey("bridge_state", template, default: "\"{prefix}/bridge/state\"", "online/offline, retained; offline is the MQTT will."),
                ConfigKey("bridge_stats", template, default: "\"{prefix}/bridge/stats\"", "The bridge's counters as JSON."),
                ConfigKey("availability", template, default: "\"{prefix}/{inverter}/availability\"", "online/asleep/unreachable."),
                ConfigKey("loop_field", template, default: "\"{prefix}/{inverter}/loop/{field}\"", "One loop field's value, every poll."),
                ConfigKey("loop", template, default: "\"{prefix}/{inverter}/loop\"", "The whole loop packet as JSON, every poll."),
                ConfigKey("archive", template, default: "\"{prefix}/{inverter}/archive\"", "The archive interval's summary as JSON."),
                ConfigKey("archive_field", template, default: "\"{prefix}/{inverter}/archive/{field}\"", "One field of the interval summary."),
                ConfigKey("state", template, default: "\"{prefix}/{inverter}/state\"", "States and alarm as JSON, on change."),
                ConfigKey("info", template, default: "\"{prefix}/{inverter}/info\"", "The inverter's identity as JSON."),
                ConfigKey(
                    "command_set_time", template, default: "\"{prefix}/{inverter}/command/set_time\"",
                    "With [commands] on: sets the inverter clock to the host's time."),
                ConfigKey(
                    "command_read", template, default: "\"{prefix}/{inverter}/command/read\"",
                    "With [commands] on: an immediate full poll."),
                ConfigKey(
                    "command_result", template, default: "\"{prefix}/{inverter}/command/result\"",
                    "The inverter's command and clock-sync results as JSON, not retained."),
                ConfigKey(
                    "bridge_command_republish", template, default: "\"{prefix}/bridge/command/republish\"",
                    "With [commands] on: sends discovery and every retained status again."),
                ConfigKey(
                    "bridge_command_result", template, default: "\"{prefix}/bridge/command/result\"",
                    "The bridge's command results as JSON, not retained."),
            ]),
        Table(
            "homeassistant", "Home Assistant MQTT discovery.",
            keys: [
                ConfigKey(
                    "discovery", .choice(["device", "entity", "off"]), default: "\"device\"",
                    "\"device\": one config per inverter (Home Assistant ≥ 2024.11); \"entity\": one per sensor; \"off\". true = \"device\", false = \"off\"."),
                ConfigKey("discovery_prefix", .string(what: "a topic prefix"), default: "\"homeassistant\"", "Home Assistant's discovery prefix."),
                ConfigKey(
                    "expire_after", .duration(1...86400, wholeSeconds: true, zeroAllowed: true), default: "0",
                    "Seconds without a new value after which Home Assistant shows a measurement as unavailable; 0 = never."),
                ConfigKey(
                    "node_id", .string(what: "a node id (letters, digits, \"-\", \"_\")"), default: "none (the topic prefix)",
                    "Replaces the topic prefix in Home Assistant node and unique ids (<node_id>_<inverter>), so two bridges can share one Home Assistant."),
                ConfigKey(
                    "all_entities", .boolean, default: "true",
                    "Whether the diagnostic measures (bulk, booster, leakage, isolation, DC/DC) are enabled by default in Home Assistant."),
            ]),
        Table(
            "retain", "Which classes of messages the broker keeps for new subscribers.",
            keys: [
                ConfigKey("loop", .boolean, default: "true", "The loop_field and loop topics."),
                ConfigKey("archive", .boolean, default: "true", "The archive and archive_field topics."),
                ConfigKey("state", .boolean, default: "true", "The state topic."),
                ConfigKey("info", .boolean, default: "true", "The info topic."),
                ConfigKey("availability", .boolean, default: "true", "The availability topic."),
            ]),
        Table(
            "stats", "The bridge's own counters topic.",
            keys: [
                ConfigKey("interval", .duration(millisecond...week), default: "60", "How often the counters are published."),
            ]),
        Table(
            "bus", "The RS485 bus the inverters share.",
            keys: [
                ConfigKey(
                    "port", .string(what: "a serial device or tcp://host:port"), default: "none (required)",
                    "A serial device or an RS485-to-Ethernet adapter as tcp://host:port.", required: true),
                ConfigKey("baudrate", .integerChoice(BridgeConfiguration.Bus.baudrates), default: "19200", "The serial speed (ignored over TCP)."),
                ConfigKey("read_timeout", .duration(millisecond...60), default: "2", "How long to wait for a reply."),
                ConfigKey(
                    "command_delay", .duration(millisecond...10, zeroAllowed: true), default: "0",
                    "A wait between writing a request and reading the reply."),
                ConfigKey("max_tries", .integer(1...10), default: "3", "Tries per request before giving up on it."),
                ConfigKey(
                    "probe_max", .duration(1...3600), default: "300",
                    "The longest wait between probes of an inverter that stopped answering."),
            ]),
        Table(
            "inverter", array: true, "One inverter on the bus; one table per inverter.",
            keys: [
                ConfigKey(
                    "name", .string(what: "an inverter name"), default: "none (required)",
                    "Used in topics and logs: lowercase letters, digits, \"-\" and \"_\"; unique.", required: true),
                ConfigKey(
                    "address", .integer(1...63), default: "none (required)", "The RS485 address set on the inverter; unique.",
                    required: true),
                ConfigKey("model", .string(what: "a model name"), default: "none", "Free text for logs and Home Assistant."),
                ConfigKey("poll_interval", .duration(millisecond...week), default: "10", "Time between polls."),
                ConfigKey(
                    "clock_sync", .choice(ClockSyncSettings.Mode.allCases.map(\.rawValue)), default: "\"off\"",
                    "\"daily\": compare the inverter clock with the host's once a day while awake and set it when off by more than clock_tolerance and the host clock is synchronised. Some models clear their history when the clock is set."),
                ConfigKey(
                    "clock_tolerance", .duration(1...86400, wholeSeconds: true), default: "30",
                    "The largest inverter clock error clock_sync leaves alone."),
            ]),
        Table(
            "fields", "Renaming and leaving out loop fields, by their original names.",
            keys: [
                ConfigKey("exclude", .fieldNames, default: "[]", "Fields that are neither published nor archived."),
            ],
            fieldMaps: [("rename", "the new name: unique, letters, digits, \"-\" and \"_\"")]),
        Table(
            "archive", "Interval summaries, kept in SQLite and published.",
            keys: [
                ConfigKey(
                    "interval", .duration(1...86400, wholeSeconds: true), default: "300",
                    "The summary interval, aligned to multiples of it on the clock."),
                ConfigKey(
                    "database", .string(what: "the path of a file"), default: "\"/var/lib/aurora-bridge/archive.sqlite\"",
                    "The SQLite file; by default in $STATE_DIRECTORY (each systemd instance its own) when set."),
                ConfigKey("keep_days", .integer(1...36500), default: "365", "How many days of summaries the database keeps."),
                ConfigKey(
                    "busy_timeout", .duration(millisecond...600), default: "5",
                    "How long a write waits for a database another process has locked."),
                ConfigKey(
                    "queue_limit", .integer(1...1_000_000), default: "10000",
                    "Summaries kept in memory while the database cannot be written."),
                ConfigKey("window", .integer(1...1000), default: "32", "Summaries in flight to the broker at a time."),
            ],
            fieldMaps: [("extractors", "how its values become the summary: " + Extractor.allCases.map { TOMLText.quoted($0.rawValue) }.joined(separator: ", "))]),
        Table(
            "commands", "Commands over MQTT: set_time, read, republish.",
            keys: [
                ConfigKey("enabled", .boolean, default: "false", "Whether the bridge subscribes to the command topics."),
            ]),
        Table(
            "log", "Logging.",
            keys: [
                ConfigKey(
                    "level", .choice(Logger.Level.allCases.map(\.rawValue)), default: "\"info\"", "The lowest level logged."),
            ]),
        Table(
            "plant", "The inverters summed into one more inverter (only with two or more inverters).",
            keys: [
                ConfigKey("enabled", .boolean, default: "true", "Whether the plant is published."),
                ConfigKey(
                    "name", .string(what: "a name like an inverter's"), default: "\"plant\"",
                    "The plant's name in topics; no inverter may have it."),
            ]),
    ]

    /// The kind of a topic template.
    private static var template: ConfigKey.Kind { .string(what: "a topic template", emptyAllowed: true) }

    /// The table called `name` (`mqtt.tls`).
    public static func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// The names of the tables directly inside `name` (the root for ""), for unknown-key checks:
    /// arrays of tables as `[[inverter]]`.
    static func subtables(of name: String) -> [String] {
        let children = tables.filter { table in
            let parts = table.name.split(separator: ".")
            return parts.dropLast().joined(separator: ".") == name
        }.map { table in
            let last = String(table.name.split(separator: ".").last ?? "")
            return table.isArray ? "[[\(last)]]" : last
        }
        let maps = table(name)?.fieldMaps.map(\.name) ?? []
        return children + maps
    }

    /// Every key as Markdown: a section per table with name, allowed values, default and doc.
    /// `docs/configuration.md` is this text (a test keeps them in step).
    public static var keyList: String {
        var lines = [
            "# Configuration keys",
            "",
            "Generated from the key table in `Sources/AuroraBridge/Configuration/ConfigSchema.swift`",
            "(`aurora-bridge check-config --keys` prints it). Durations are in seconds. Strings are at most",
            "\(ConfigKey.maximumStringBytes) bytes of UTF-8 and hold no control characters. A value outside",
            "what is allowed is refused with `file:line: [table] key: what is allowed` and exit code 78.",
        ]
        for table in tables {
            lines += ["", "## \(table.title)", "", table.doc, "", "| key | allowed | default | purpose |", "|---|---|---|---|"]
            for key in table.keys {
                let doc = key.doc + (key.isSecret ? " Names a secret: its content is never printed." : "")
                let isPhrase = key.defaultValue.hasPrefix("none") || key.defaultValue.contains(",")
                let defaultValue = isPhrase ? key.defaultValue : "`\(key.defaultValue)`"
                lines.append("| `\(key.name)` | \(key.allowed.markdownCell) | \(defaultValue.markdownCell) | \(doc.markdownCell) |")
            }
            for map in table.fieldMaps {
                lines.append("| `\(map.name).<field>` | \(map.doc.markdownCell) | none | By original field name. |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The text inside a Markdown table cell: `|` escaped.
    fileprivate var markdownCell: String {
        split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}

extension BridgeConfiguration {
    /// `[topics]`: the prefix and one template per topic (see the topic contract in DESIGN.md).
    ///
    /// Templates may use `{prefix}`, `{inverter}` (the inverter's name), `{address}` and, in the
    /// two field templates only, `{field}`; the bridge's own topics only `{prefix}`. With more than
    /// one inverter, per-inverter templates must contain `{inverter}` or `{address}`.
    public struct Topics: Sendable, Equatable {
        /// `prefix`: replaces `{prefix}`.
        public var prefix = "aurora"
        /// `bridge_state`: `online`/`offline` (the will).
        public var bridgeState = Self.template("{prefix}/bridge/state")
        /// `bridge_stats`: the bridge's counters.
        public var bridgeStats = Self.template("{prefix}/bridge/stats")
        /// `availability`: `online`/`asleep`/`unreachable`.
        public var availability = Self.template("{prefix}/{inverter}/availability")
        /// `loop_field`: one loop field's value.
        public var loopField = Self.template("{prefix}/{inverter}/loop/{field}")
        /// `loop`: the whole loop packet as JSON.
        public var loop = Self.template("{prefix}/{inverter}/loop")
        /// `archive`: the interval summary as JSON.
        public var archive = Self.template("{prefix}/{inverter}/archive")
        /// `archive_field`: one field of the interval summary.
        public var archiveField = Self.template("{prefix}/{inverter}/archive/{field}")
        /// `state`: the inverter's states and alarm.
        public var state = Self.template("{prefix}/{inverter}/state")
        /// `info`: the inverter's identity.
        public var info = Self.template("{prefix}/{inverter}/info")
        /// `command_set_time`: sets the inverter clock to the host's.
        public var commandSetTime = Self.template("{prefix}/{inverter}/command/set_time")
        /// `command_read`: polls the inverter now.
        public var commandRead = Self.template("{prefix}/{inverter}/command/read")
        /// `command_result`: the inverter's command results.
        public var commandResult = Self.template("{prefix}/{inverter}/command/result")
        /// `bridge_command_republish`: sends discovery and the retained status again.
        public var bridgeCommandRepublish = Self.template("{prefix}/bridge/command/republish")
        /// `bridge_command_result`: the bridge's command results.
        public var bridgeCommandResult = Self.template("{prefix}/bridge/command/result")
        /// `event`: the inverter's events (alarms, state and availability changes, clock corrections).
        public var event = Self.template("{prefix}/{inverter}/event")
        /// `bridge_event`: the bridge's own events.
        public var bridgeEvent = Self.template("{prefix}/bridge/event")

        /// Topics with the documented defaults.
        public init() {}

        /// A built-in template, known to parse.
        private static func template(_ source: String) -> TopicTemplate {
            do {
                return try TopicTemplate(source)
            } catch {
                preconditionFailure("built-in topic template \(source) does not parse: \(error)")
            }
        }
    }
}

extension BridgeConfiguration.Topics: ConfigSection {
    /// One template key, in the parts of its entry and what it is a topic of.
    struct Slot: Sendable {
        /// What a template is a topic of, and so which placeholders it may use.
        enum Scope { case bridge, inverter, field }

        let key: String
        let path: any WritableKeyPath<BridgeConfiguration.Topics, TopicTemplate> & Sendable
        let scope: Scope
        let doc: String

        init(
            _ key: String, _ path: any WritableKeyPath<BridgeConfiguration.Topics, TopicTemplate> & Sendable,
            _ scope: Scope, _ doc: String
        ) {
            (self.key, self.path, self.scope, self.doc) = (key, path, scope, doc)
        }

        /// Whether there is one topic per inverter (or per inverter and field).
        var perInverter: Bool { scope != .bridge }
        /// Whether there is one topic per field, so the template needs `{field}`.
        var needsField: Bool { scope == .field }
    }

    /// Every template key, in file order.
    static let slots = [
        Slot("bridge_state", \.bridgeState, .bridge, "online/offline, retained; offline is the MQTT will."),
        Slot("bridge_stats", \.bridgeStats, .bridge, "The bridge's counters as JSON."),
        Slot("availability", \.availability, .inverter, "online/asleep/unreachable."),
        Slot("loop_field", \.loopField, .field, "One loop field's value, every poll."),
        Slot("loop", \.loop, .inverter, "The whole loop packet as JSON, every poll."),
        Slot("archive", \.archive, .inverter, "The archive interval's summary as JSON."),
        Slot("archive_field", \.archiveField, .field, "One field of the interval summary."),
        Slot("state", \.state, .inverter, "States and alarm as JSON, on change."),
        Slot("info", \.info, .inverter, "The inverter's identity as JSON."),
        Slot("command_set_time", \.commandSetTime, .inverter, "With [commands] on: sets the inverter clock to the host's time."),
        Slot("command_read", \.commandRead, .inverter, "With [commands] on: an immediate full poll."),
        Slot("command_result", \.commandResult, .inverter, "The inverter's command and clock-sync results as JSON, not retained."),
        Slot(
            "bridge_command_republish", \.bridgeCommandRepublish, .bridge,
            "With [commands] on: sends discovery and every retained status again."),
        Slot("bridge_command_result", \.bridgeCommandResult, .bridge, "The bridge's command results as JSON, not retained."),
        Slot("event", \.event, .inverter, "The inverter's events as JSON (alarms, state and availability changes, clock corrections), not retained."),
        Slot("bridge_event", \.bridgeEvent, .bridge, "The bridge's own events as JSON (started, stopped, broker lost and regained …), not retained."),
    ]

    static let defaults = Self()

    /// The keys as documented; reading checks them for the configured number of inverters.
    static let entries: [ConfigEntry<Self>] = Self.entries(inverterCount: 1)

    /// The prefix and every template; per-inverter templates must tell `inverterCount` inverters apart.
    static func entries(inverterCount: Int) -> [ConfigEntry<Self>] {
        let prefix = ConfigEntry<Self>("prefix", \.prefix, .string(what: "a topic prefix"), "Replaces {prefix}.") { prefix, _ in
            prefixProblem(prefix, wildcards: "the prefix must not contain", separators: "templates add")
        }
        return [prefix] + slots.map { slot in
            ConfigEntry(slot.key, slot.path, .string(what: "a topic template", emptyAllowed: true), slot.doc) { template, topics in
                templateProblem(template, slot: slot, prefix: topics.prefix, inverterCount: inverterCount)
            }
        }
    }

    /// Reads `[topics]`; `inverterCount` decides whether per-inverter templates must tell
    /// inverters apart.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, inverterCount: Int) -> Self {
        reader.checkKeys(table, special: ["discovery_prefix": "moved to [homeassistant] discovery_prefix"])
        var topics = defaults
        reader.read(table, into: &topics, entries(inverterCount: inverterCount))
        return topics
    }

    /// The longest topic MQTT carries, in bytes of UTF-8.
    static let maximumTopicBytes = 65535

    /// Reports templates that render the same topic for two different things (e.g. an inverter
    /// named `bridge` with the default templates), once per template key.
    func checkDistinct(
        _ table: ConfigTable, _ reader: inout ConfigReader, inverters: [BridgeConfiguration.Inverter],
        fields: [String]
    ) {
        var owners: [String: String] = [:]  // topic → what it is for
        var reported: Set<String> = []
        func claim(_ key: String, _ topic: String, _ owner: String) {
            if topic.utf8.count > Self.maximumTopicBytes {
                guard reported.insert(key).inserted else { return }
                reader.report(
                    table, key,
                    "the topic of \(owner) is \(topic.utf8.count) bytes; MQTT allows at most \(Self.maximumTopicBytes): "
                        + "shorten the template, the prefix or the names")
            } else if let previous = owners[topic] {
                guard previous != owner, reported.insert(key).inserted else { return }
                reader.report(
                    table, key,
                    "\(TOMLText.quoted(topic)) (\(owner)) is also the topic of \(previous); every topic must be "
                        + "distinct: change a template, the prefix, an inverter name or a field name")
            } else {
                owners[topic] = owner
            }
        }
        for slot in Self.slots where !slot.perInverter {
            claim(slot.key, self[keyPath: slot.path].render(prefix: prefix), slot.key)
        }
        for inverter in inverters {
            for slot in Self.slots where slot.perInverter {
                let template = self[keyPath: slot.path]
                for field in slot.needsField ? fields : [""] {
                    let topic = template.render(prefix: prefix, inverter: inverter.name, address: inverter.address, field: field)
                    let owner = slot.needsField
                        ? "\(slot.key) of inverter \(TOMLText.quoted(inverter.name)), field \(field)"
                        : "\(slot.key) of inverter \(TOMLText.quoted(inverter.name))"
                    claim(slot.key, topic, owner)
                }
            }
        }
    }

    /// What is wrong with a template for `slot`, if anything.
    private static func templateProblem(
        _ template: TopicTemplate, slot: Slot, prefix: String, inverterCount: Int
    ) -> String? {
        let tokens = template.tokens
        if template.source.isEmpty { return "expected a topic template, got an empty string" }
        if template.literalText.contains("+") || template.literalText.contains("#") {
            return "a topic must not contain the MQTT wildcards \"+\" or \"#\", got \(TOMLText.quoted(template.source))"
        }
        if template.render(prefix: prefix, inverter: "x", address: 1, field: "x").hasPrefix("$") {
            return "must not start with \"$\" (reserved for the broker's own topics), got \(TOMLText.quoted(template.source))"
        }
        if !slot.perInverter {
            let extra = tokens.subtracting([.prefix]).map { "{\($0.rawValue)}" }.sorted()
            if !extra.isEmpty {
                return "\(extra.joined(separator: ", ")) cannot be used in the bridge's own topics; only {prefix} can"
            }
            return nil
        }
        if slot.needsField && !tokens.contains(.field) {
            return "must contain {field} (one topic per field), got \(TOMLText.quoted(template.source))"
        }
        if !slot.needsField && tokens.contains(.field) {
            return "{field} can only be used in loop_field and archive_field"
        }
        if inverterCount > 1 && tokens.isDisjoint(with: [.inverter, .address]) {
            return "must contain {inverter} or {address} to tell the \(inverterCount) inverters apart, "
                + "got \(TOMLText.quoted(template.source))"
        }
        return nil
    }

    /// What is wrong with a topic prefix (MQTT wildcards, a leading `$`, a `/` at either end);
    /// the messages start `<wildcards> the MQTT wildcards` and say `<separators> the separators`.
    static func prefixProblem(_ prefix: String, wildcards: String, separators: String) -> String? {
        if prefix.contains("+") || prefix.contains("#") {
            return "\(wildcards) the MQTT wildcards \"+\" or \"#\", got \(TOMLText.quoted(prefix))"
        }
        if prefix.hasPrefix("$") {
            return "must not start with \"$\" (reserved for the broker's own topics), got \(TOMLText.quoted(prefix))"
        }
        if prefix.hasPrefix("/") || prefix.hasSuffix("/") {
            return "must not start or end with \"/\" (\(separators) the separators), got \(TOMLText.quoted(prefix))"
        }
        return nil
    }
}

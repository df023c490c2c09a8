extension BridgeConfiguration {
    /// `[topics]`: the prefix and one template per topic (see the topic contract in DESIGN.md).
    ///
    /// Templates may use `{prefix}`, `{inverter}` (the inverter's name), `{address}` and, in the
    /// two field templates only, `{field}`; the bridge's own topics only `{prefix}`. With more than
    /// one inverter, per-inverter templates must contain `{inverter}` or `{address}`.
    public struct Topics: Sendable, Equatable {
        /// `prefix`: replaces `{prefix}`. Default `"aurora"`.
        public var prefix: String
        /// `bridge_state`: `online`/`offline` (the will). Default `{prefix}/bridge/state`.
        public var bridgeState: TopicTemplate
        /// `bridge_stats`: the bridge's counters. Default `{prefix}/bridge/stats`.
        public var bridgeStats: TopicTemplate
        /// `availability`: `online`/`asleep`/`unreachable`. Default `{prefix}/{inverter}/availability`.
        public var availability: TopicTemplate
        /// `loop_field`: one loop field's value. Default `{prefix}/{inverter}/loop/{field}`.
        public var loopField: TopicTemplate
        /// `loop`: the whole loop packet as JSON. Default `{prefix}/{inverter}/loop`.
        public var loop: TopicTemplate
        /// `archive`: the interval summary as JSON. Default `{prefix}/{inverter}/archive`.
        public var archive: TopicTemplate
        /// `archive_field`: one field of the interval summary. Default `{prefix}/{inverter}/archive/{field}`.
        public var archiveField: TopicTemplate
        /// `state`: the inverter's states and alarm. Default `{prefix}/{inverter}/state`.
        public var state: TopicTemplate
        /// `info`: the inverter's identity. Default `{prefix}/{inverter}/info`.
        public var info: TopicTemplate
        /// `command_set_time`: sets the inverter clock to the host's. Default `{prefix}/{inverter}/command/set_time`.
        public var commandSetTime = Self.template("{prefix}/{inverter}/command/set_time")
        /// `command_read`: polls the inverter now. Default `{prefix}/{inverter}/command/read`.
        public var commandRead = Self.template("{prefix}/{inverter}/command/read")
        /// `command_result`: the inverter's command results. Default `{prefix}/{inverter}/command/result`.
        public var commandResult = Self.template("{prefix}/{inverter}/command/result")
        /// `bridge_command_republish`: sends discovery and the retained status again.
        /// Default `{prefix}/bridge/command/republish`.
        public var bridgeCommandRepublish = Self.template("{prefix}/bridge/command/republish")
        /// `bridge_command_result`: the bridge's command results. Default `{prefix}/bridge/command/result`.
        public var bridgeCommandResult = Self.template("{prefix}/bridge/command/result")

        /// Topics with the documented defaults.
        public init() {
            self.init(
                prefix: "aurora", bridgeState: Self.template("{prefix}/bridge/state"),
                bridgeStats: Self.template("{prefix}/bridge/stats"),
                availability: Self.template("{prefix}/{inverter}/availability"),
                loopField: Self.template("{prefix}/{inverter}/loop/{field}"),
                loop: Self.template("{prefix}/{inverter}/loop"),
                archive: Self.template("{prefix}/{inverter}/archive"),
                archiveField: Self.template("{prefix}/{inverter}/archive/{field}"),
                state: Self.template("{prefix}/{inverter}/state"), info: Self.template("{prefix}/{inverter}/info"))
        }

        /// Topics from their parts (not validated: ``BridgeConfiguration/parse(_:file:environment:)`` does that).
        public init(
            prefix: String, bridgeState: TopicTemplate, bridgeStats: TopicTemplate, availability: TopicTemplate,
            loopField: TopicTemplate, loop: TopicTemplate, archive: TopicTemplate, archiveField: TopicTemplate,
            state: TopicTemplate, info: TopicTemplate
        ) {
            self.prefix = prefix
            self.bridgeState = bridgeState
            self.bridgeStats = bridgeStats
            self.availability = availability
            self.loopField = loopField
            self.loop = loop
            self.archive = archive
            self.archiveField = archiveField
            self.state = state
            self.info = info
        }

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

extension BridgeConfiguration.Topics {
    /// What each template is for, in file order: key, path in the struct, whether it is per
    /// inverter, whether it needs `{field}`.
    struct Slot {
        let key: String
        let path: WritableKeyPath<BridgeConfiguration.Topics, TopicTemplate>
        let perInverter: Bool
        let needsField: Bool
    }

    /// Every template key, in file order.
    static var slots: [Slot] {
        [
            Slot(key: "bridge_state", path: \.bridgeState, perInverter: false, needsField: false),
            Slot(key: "bridge_stats", path: \.bridgeStats, perInverter: false, needsField: false),
            Slot(key: "availability", path: \.availability, perInverter: true, needsField: false),
            Slot(key: "loop_field", path: \.loopField, perInverter: true, needsField: true),
            Slot(key: "loop", path: \.loop, perInverter: true, needsField: false),
            Slot(key: "archive", path: \.archive, perInverter: true, needsField: false),
            Slot(key: "archive_field", path: \.archiveField, perInverter: true, needsField: true),
            Slot(key: "state", path: \.state, perInverter: true, needsField: false),
            Slot(key: "info", path: \.info, perInverter: true, needsField: false),
            Slot(key: "command_set_time", path: \.commandSetTime, perInverter: true, needsField: false),
            Slot(key: "command_read", path: \.commandRead, perInverter: true, needsField: false),
            Slot(key: "command_result", path: \.commandResult, perInverter: true, needsField: false),
            Slot(key: "bridge_command_republish", path: \.bridgeCommandRepublish, perInverter: false, needsField: false),
            Slot(key: "bridge_command_result", path: \.bridgeCommandResult, perInverter: false, needsField: false),
        ]
    }

    /// Reads `[topics]`; `inverterCount` decides whether per-inverter templates must tell
    /// inverters apart.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, inverterCount: Int) -> Self {
        reader.checkKeys(
            table,
            special: ["discovery_prefix": "moved to [homeassistant] discovery_prefix"])
        var topics = Self()
        if let prefix = reader.string(table, "prefix") {
            if let problem = topicProblem(prefix, what: "the prefix") {
                reader.report(table, "prefix", problem)
            } else if prefix.hasPrefix("$") {
                reader.report(table, "prefix", "must not start with \"$\" (reserved for the broker's own topics), got \(TOMLText.quoted(prefix))")
            } else if prefix.hasPrefix("/") || prefix.hasSuffix("/") {
                reader.report(table, "prefix", "must not start or end with \"/\" (templates add the separators), got \(TOMLText.quoted(prefix))")
            } else {
                topics.prefix = prefix
            }
        }
        for slot in slots {
            guard let source = reader.string(table, slot.key) else { continue }
            do throws(TopicTemplate.ParseError) {
                let template = try TopicTemplate(source)
                if let problem = templateProblem(template, slot: slot, prefix: topics.prefix, inverterCount: inverterCount) {
                    reader.report(table, slot.key, problem)
                } else {
                    topics[keyPath: slot.path] = template
                }
            } catch {
                reader.report(table, slot.key, error.description)
            }
        }
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

    /// Why `text` cannot be (part of) a topic: the MQTT wildcards.
    private static func topicProblem(_ text: String, what: String) -> String? {
        guard text.contains("+") || text.contains("#") else { return nil }
        return "\(what) must not contain the MQTT wildcards \"+\" or \"#\", got \(TOMLText.quoted(text))"
    }
}

import Foundation

/// A checker for Home Assistant MQTT discovery payloads, derived from Home Assistant's MQTT
/// documentation (integrations/mqtt: "Discovery messages", "Device discovery payload",
/// "Single component discovery payload", the sensor platform's options, the `device` and
/// `origin` mappings, and the abbreviation tables): required keys, allowed keys (full names and
/// their documented abbreviations) and value types. Returns the problems found, none for a
/// valid payload.
enum HomeAssistantSchema {
    enum ValueType { case string, integer, boolean, stringOrStrings, object, objects, strings }

    /// The sensor platform's options (abbreviations in the second name).
    static let sensor: [String: ValueType] = expand([
        ("availability", "avty", .objects), ("availability_mode", "avty_mode", .string),
        ("availability_template", "avty_tpl", .string), ("availability_topic", "avty_t", .string),
        ("default_entity_id", nil, .string), ("device_class", "dev_cla", .string),
        ("enabled_by_default", "en", .boolean), ("encoding", "e", .string), ("entity_category", "ent_cat", .string),
        ("entity_picture", "ent_pic", .string), ("expire_after", "exp_aft", .integer), ("force_update", "frc_upd", .boolean),
        ("icon", "ic", .string), ("json_attributes_template", "json_attr_tpl", .string),
        ("json_attributes_topic", "json_attr_t", .string), ("last_reset_value_template", "lrst_val_tpl", .string),
        ("name", nil, .string), ("object_id", "obj_id", .string), ("options", "ops", .strings),
        ("payload_available", "pl_avail", .string), ("payload_not_available", "pl_not_avail", .string),
        ("qos", nil, .integer), ("state_class", "stat_cla", .string), ("state_topic", "stat_t", .string),
        ("suggested_display_precision", "sug_dsp_prc", .integer), ("unique_id", "uniq_id", .string),
        ("unit_of_measurement", "unit_of_meas", .string), ("value_template", "val_tpl", .string),
    ])
    /// The event platform's options.
    static let event: [String: ValueType] = expand([
        ("availability", "avty", .objects), ("availability_mode", "avty_mode", .string),
        ("availability_template", "avty_tpl", .string), ("availability_topic", "avty_t", .string),
        ("default_entity_id", nil, .string), ("device_class", "dev_cla", .string),
        ("enabled_by_default", "en", .boolean), ("encoding", "e", .string), ("entity_category", "ent_cat", .string),
        ("entity_picture", "ent_pic", .string), ("event_types", "evt_typ", .strings), ("icon", "ic", .string),
        ("json_attributes_template", "json_attr_tpl", .string), ("json_attributes_topic", "json_attr_t", .string),
        ("name", nil, .string), ("object_id", "obj_id", .string), ("payload_available", "pl_avail", .string),
        ("payload_not_available", "pl_not_avail", .string), ("qos", nil, .integer), ("state_topic", "stat_t", .string),
        ("unique_id", "uniq_id", .string), ("value_template", "val_tpl", .string),
    ])
    /// The `device` mapping.
    static let device: [String: ValueType] = expand([
        ("identifiers", "ids", .stringOrStrings), ("connections", "cns", .objects), ("configuration_url", "cu", .string),
        ("hw_version", "hw", .string), ("manufacturer", "mf", .string), ("model", "mdl", .string),
        ("model_id", "mdl_id", .string), ("name", nil, .string), ("serial_number", "sn", .string),
        ("suggested_area", "sa", .string), ("sw_version", "sw", .string), ("via_device", nil, .string),
    ])
    /// The `origin` mapping: `name` is required.
    static let origin: [String: ValueType] = expand([
        ("name", nil, .string), ("sw_version", "sw", .string), ("support_url", "url", .string),
    ])
    /// An entry of `availability`: `topic` is required.
    static let availability: [String: ValueType] = expand([
        ("topic", "t", .string), ("payload_available", "pl_avail", .string),
        ("payload_not_available", "pl_not_avail", .string), ("value_template", "val_tpl", .string),
    ])
    /// The options a device discovery payload may share at its root besides `dev`, `o`, `cmps`.
    static let shared: [String: ValueType] = expand([
        ("availability", "avty", .objects), ("availability_mode", "avty_mode", .string),
        ("availability_topic", "avty_t", .string), ("availability_template", "avty_tpl", .string),
        ("payload_available", "pl_avail", .string), ("payload_not_available", "pl_not_avail", .string),
        ("command_topic", "cmd_t", .string), ("state_topic", "stat_t", .string), ("qos", nil, .integer),
        ("encoding", "e", .string),
    ])

    /// Problems of a single component payload: a sensor on `<prefix>/sensor/…/config`, or an
    /// event entity (`platform` "event") on `<prefix>/event/…/config`.
    static func entityProblems(_ payload: String, platform: String = "sensor") -> [String] {
        guard let json = object(payload) else { return ["not a JSON object"] }
        var extra = platform == "event" ? event : sensor
        extra.merge(expand([("device", "dev", .object), ("origin", "o", .object)])) { first, _ in first }
        var problems = check(json, extra, "")
        problems += required(json, ["device", "dev"], "")
        problems += platform == "event" ? eventProblems(json, "") : sensorProblems(json, "")
        return problems
    }

    /// Problems of a device discovery payload (`<prefix>/device/<node>/config`).
    static func deviceProblems(_ payload: String) -> [String] {
        guard let json = object(payload) else { return ["not a JSON object"] }
        var root = shared
        root.merge(expand([("device", "dev", .object), ("origin", "o", .object), ("components", "cmps", .object)])) { first, _ in first }
        var problems = check(json, root, "")
        for (full, short) in [("device", "dev"), ("origin", "o"), ("components", "cmps")] {
            problems += required(json, [full, short], "")
        }
        let components = (json["cmps"] ?? json["components"]) as? [String: Any] ?? [:]
        if components.isEmpty { problems.append("cmps: no components") }
        for (id, value) in components {
            guard let component = value as? [String: Any] else {
                problems.append("cmps.\(id): not an object")
                continue
            }
            let platform = (component["p"] ?? component["platform"]) as? String
            var allowed = platform == "event" ? event : sensor
            allowed.merge(expand([("platform", "p", .string)])) { first, _ in first }
            problems += check(component, allowed, "cmps.\(id).")
            problems += required(component, ["platform", "p"], "cmps.\(id).")
            problems += required(component, ["unique_id", "uniq_id"], "cmps.\(id).")
            switch platform {
            case "event": problems += eventProblems(component, "cmps.\(id).")
            case "sensor": problems += sensorProblems(component, "cmps.\(id).")
            case let other?: problems.append("cmps.\(id).p: \(other) is neither a sensor nor an event")
            case nil: break
            }
            if !id.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }) {
                problems.append("cmps.\(id): a component id takes [a-zA-Z0-9_-] only")
            }
        }
        return problems
    }

    /// The event-specific rules: a state topic and at least one event type.
    private static func eventProblems(_ json: [String: Any], _ path: String) -> [String] {
        var problems = required(json, ["state_topic", "stat_t"], path) + required(json, ["event_types", "evt_typ"], path)
        if let types = (json["event_types"] ?? json["evt_typ"]) as? [String], types.isEmpty { problems.append("\(path)event_types: empty") }
        return problems
    }

    /// The sensor-specific rules: a state topic, known classes, `options` with `enum` only.
    private static func sensorProblems(_ json: [String: Any], _ path: String) -> [String] {
        var problems = required(json, ["state_topic", "stat_t"], path)
        if let stateClass = (json["state_class"] ?? json["stat_cla"]) as? String,
            !["measurement", "measurement_angle", "total", "total_increasing"].contains(stateClass) {
            problems.append("\(path)state_class: \(stateClass)")
        }
        if let category = (json["entity_category"] ?? json["ent_cat"]) as? String, !["config", "diagnostic"].contains(category) {
            problems.append("\(path)entity_category: \(category)")
        }
        let deviceClass = (json["device_class"] ?? json["dev_cla"]) as? String
        if (json["options"] ?? json["ops"]) != nil, deviceClass != "enum" { problems.append("\(path)options without device_class enum") }
        if let mode = (json["availability_mode"] ?? json["avty_mode"]) as? String, !["all", "any", "latest"].contains(mode) {
            problems.append("\(path)availability_mode: \(mode)")
        }
        return problems
    }

    /// Checks allowed keys and value types, recursing into the known mappings.
    private static func check(_ json: [String: Any], _ allowed: [String: ValueType], _ path: String) -> [String] {
        var problems: [String] = []
        for (key, value) in json {
            guard let type = allowed[key] else {
                problems.append("\(path)\(key): not a documented option")
                continue
            }
            if !matches(value, type) { problems.append("\(path)\(key): expected \(type)") }
            switch key {
            case "device", "dev":
                if let mapping = value as? [String: Any] {
                    problems += check(mapping, device, "\(path)\(key).") + required(mapping, ["identifiers", "ids"], "\(path)\(key).")
                }
            case "origin", "o":
                if let mapping = value as? [String: Any] {
                    problems += check(mapping, origin, "\(path)\(key).") + required(mapping, ["name"], "\(path)\(key).")
                }
            case "availability", "avty":
                for (index, entry) in (value as? [[String: Any]] ?? []).enumerated() {
                    problems += check(entry, availability, "\(path)\(key)[\(index)].") + required(entry, ["topic", "t"], "\(path)\(key)[\(index)].")
                }
            default:
                break
            }
        }
        return problems
    }

    private static func required(_ json: [String: Any], _ names: [String], _ path: String) -> [String] {
        names.contains { json[$0] != nil } ? [] : ["\(path)\(names[0]): required"]
    }

    private static func matches(_ value: Any, _ type: ValueType) -> Bool {
        switch type {
        case .string: value is String
        case .integer: (value as? NSNumber).map { !isBoolean($0) && !["d", "f"].contains(String(cString: $0.objCType)) } ?? false
        case .boolean: (value as? NSNumber).map(isBoolean) ?? false
        case .stringOrStrings: value is String || value is [String]
        case .strings: value is [String]
        case .object: value is [String: Any]
        case .objects: value is [[String: Any]]
        }
    }

    /// JSONSerialization gives `true`/`false` as NSNumbers of type `char` (or `BOOL`).
    private static func isBoolean(_ number: NSNumber) -> Bool {
        ["c", "B"].contains(String(cString: number.objCType))
    }

    private static func object(_ payload: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any]
    }

    private static func expand(_ entries: [(String, String?, ValueType)]) -> [String: ValueType] {
        var table: [String: ValueType] = [:]
        for (full, short, type) in entries {
            table[full] = type
            if let short { table[short] = type }
        }
        return table
    }
}

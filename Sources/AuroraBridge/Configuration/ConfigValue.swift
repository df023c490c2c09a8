import AuroraLink
import Logging

/// A type a key's value is kept in: how it is read as its key's kind allows, and written back.
///
/// Each reads its kind of ``ConfigKey/Kind`` and reports a value the kind does not allow as
/// `expected <what the key allows>, got <the value>`.
protocol ConfigValue: Sendable {
    /// The value of `key` in `table`, or nil when it is absent or wrong (reported).
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self?
    /// The value as TOML: `5`, `0.25`, `"text"`, `true`.
    var toml: String { get }
}

/// A value that is one of a few names: a key of kind ``ConfigKey/Kind/choice(_:)``.
protocol ConfigChoice: ConfigValue, RawRepresentable<String>, CaseIterable {}

extension ConfigChoice {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        String.read(key, in: table, &reader).flatMap(Self.init(rawValue:))
    }

    var toml: String { TOMLText.quoted(rawValue) }
}

/// Kind ``ConfigKey/Kind/integer(_:)`` or ``ConfigKey/Kind/integerChoice(_:)``; floats are
/// refused, never converted.
extension Int: ConfigValue {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        reader.value(table, key, expected: key.allowed) { value in
            guard case .integer(let number) = value else { return nil }
            return switch key.kind {
            case .integer(let range): range.contains(number) ? number : nil
            case .integerChoice(let choices): choices.contains(number) ? number : nil
            default: preconditionFailure("\(table.title) \(key.name) is not declared as an integer")
            }
        }
    }

    var toml: String { String(self) }
}

/// Kind ``ConfigKey/Kind/boolean``.
extension Bool: ConfigValue {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        reader.value(table, key, expected: "true or false") { value in
            if case .boolean(let flag) = value { flag } else { nil }
        }
    }

    var toml: String { String(self) }
}

/// Kind ``ConfigKey/Kind/duration(_:wholeSeconds:zeroAllowed:)``: kept to the microsecond; NaN,
/// infinities and anything outside the range are refused before any conversion.
extension Duration: ConfigValue {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        guard case .duration(let range, let wholeSeconds, let zeroAllowed) = key.kind else {
            preconditionFailure("\(table.title) \(key.name) is not declared as a duration")
        }
        return reader.value(table, key, expected: key.allowed) { value in
            let number: Double? = switch value {
            case .integer(let integer): Double(integer)
            case .float(let float): float
            default: nil
            }
            guard let number, number.isFinite, range.contains(number) || (zeroAllowed && number == 0),
                !wholeSeconds || number == number.rounded()
            else { return nil }
            return .seconds(fromConfig: number)
        }
    }

    var toml: String { TOMLText.seconds(self) }
}

/// A duration kept as a number of seconds.
extension Double: ConfigValue {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        Duration.read(key, in: table, &reader)?.seconds
    }

    var toml: String { TOMLText.seconds(.seconds(self)) }
}

/// Kind ``ConfigKey/Kind/string(what:emptyAllowed:)``: at most ``ConfigKey/maximumStringBytes``
/// of UTF-8, no control characters, not empty unless allowed; or kind
/// ``ConfigKey/Kind/choice(_:)``: one of the names, the nearest suggested on a typo.
extension String: ConfigValue {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        let what: String
        let emptyAllowed: Bool
        switch key.kind {
        case .choice(let choices): return reader.choice(table, key.name, from: choices)
        case .string(let text, let empty): (what, emptyAllowed) = (text, empty)
        default: preconditionFailure("\(table.title) \(key.name) is not declared as a string")
        }
        guard let text = reader.value(table, key, expected: what, { if case .string(let text) = $0 { text } else { nil } })
        else { return nil }
        if text.isEmpty && !emptyAllowed {
            reader.report(table, key.name, "expected \(what), got an empty string")
        } else if text.utf8.count > ConfigKey.maximumStringBytes {
            reader.report(
                table, key.name, "expected \(what) of at most \(ConfigKey.maximumStringBytes) bytes, got \(text.utf8.count) bytes")
        } else if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            reader.report(
                table, key.name,
                "expected \(what) without control characters (line breaks, tabs, escapes below \\u0020), got \(TOMLText.quoted(text))")
        } else {
            return text
        }
        return nil
    }

    var toml: String { TOMLText.quoted(self) }
}

/// A string that parses as a template.
extension TopicTemplate: ConfigValue {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        parsed(key, in: table, &reader, TopicTemplate.init) { $0.description }
    }

    var toml: String { TOMLText.quoted(source) }
}

/// A string that parses as a serial device or `tcp://host:port`.
extension PortAddress: ConfigValue {
    static func read(_ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader) -> Self? {
        parsed(key, in: table, &reader, PortAddress.init(parsing:)) { error in
            guard case .invalidPort(_, let reason) = error else { preconditionFailure("parsing throws only invalidPort") }
            return reason
        }
    }

    var toml: String { TOMLText.quoted(description) }
}

extension ConfigValue {
    /// The string at `key` as `parse` reads it; what `parse` throws is reported as `problem` says.
    static func parsed<Failure: Error>(
        _ key: ConfigKey, in table: ConfigTable, _ reader: inout ConfigReader, _ parse: (String) throws(Failure) -> Self,
        problem: (Failure) -> String
    ) -> Self? {
        guard let text = String.read(key, in: table, &reader) else { return nil }
        do throws(Failure) {
            return try parse(text)
        } catch {
            reader.report(table, key.name, problem(error))
            return nil
        }
    }
}

extension Logger.Level: ConfigChoice {}
extension BridgeConfiguration.MQTT.ProtocolVersion: ConfigChoice {}
extension BridgeConfiguration.HomeAssistant.DiscoveryMode: ConfigChoice {}
extension ClockSyncSettings.Mode: ConfigChoice {}

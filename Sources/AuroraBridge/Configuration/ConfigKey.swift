/// One key of `bridge.conf` as documented: its type and allowed values, its default and what it
/// is for. Each is made by the key's one entry in its section's table (see ``ConfigSchema``); the
/// reader validates against it, unknown keys are suggested from it, and `check-config --keys`,
/// `docs/configuration.md` and the `init` template are generated from it.
public struct ConfigKey: Sendable, Equatable {
    /// What a key takes.
    public enum Kind: Sendable, Equatable {
        /// A number of seconds in `range` (fractions kept to the microsecond unless
        /// `wholeSeconds`); with `zeroAllowed`, 0 too (it means "none").
        case duration(ClosedRange<Double>, wholeSeconds: Bool = false, zeroAllowed: Bool = false)
        /// An integer in the range.
        case integer(ClosedRange<Int>)
        /// One of the integers.
        case integerChoice([Int])
        /// A string (`what` names it in messages), at most ``ConfigKey/maximumStringBytes`` of
        /// UTF-8 without control characters; empty only with `emptyAllowed`.
        case string(what: String, emptyAllowed: Bool = false)
        /// One of the strings.
        case choice([String])
        /// `true` or `false`.
        case boolean
        /// An array of loop field names (original names).
        case fieldNames
    }

    /// The longest string any key takes, in bytes of UTF-8: topics are built from some, and
    /// none needs more.
    public static let maximumStringBytes = 4096

    /// The longest duration any key takes: a week.
    public static let maximumSeconds = 604_800.0

    /// The shortest non-zero duration any key takes: a millisecond.
    public static let minimumSeconds = 0.001

    /// The key as written in the file: `port`.
    public let name: String
    /// What it takes.
    public let kind: Kind
    /// The default as TOML (`60`, `"localhost"`), or a phrase (`none`, `1883, or 8883 with TLS`).
    public let defaultValue: String
    /// Whether ``defaultValue`` is a TOML value rather than a phrase.
    public let defaultIsValue: Bool
    /// One line on what it is for.
    public let doc: String
    /// Whether it names a secret (a file whose content is never printed).
    public let isSecret: Bool
    /// Whether the table is incomplete without it.
    public let isRequired: Bool

    /// A key from its parts.
    public init(
        _ name: String, _ kind: Kind, default defaultValue: String, isValue: Bool = true, _ doc: String,
        secret: Bool = false, required: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.defaultIsValue = isValue
        self.doc = doc
        self.isSecret = secret
        self.isRequired = required
    }

    /// What the key allows, as messages and the docs say it: `an integer from 1 to 65535`.
    public var allowed: String {
        switch kind {
        case .duration(let range, let wholeSeconds, let zeroAllowed):
            let unit = wholeSeconds ? "a whole number of seconds" : "a number of seconds"
            let bounds = "\(unit) from \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound))"
            return zeroAllowed ? "0 or \(bounds)" : bounds
        case .integer(let range):
            return "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .integerChoice(let choices):
            return "one of " + choices.map(String.init).joined(separator: ", ")
        case .string(let what, _):
            return what
        case .choice(let choices):
            return "one of " + choices.map(TOMLText.quoted).joined(separator: ", ")
        case .boolean:
            return "true or false"
        case .fieldNames:
            return "an array of field names"
        }
    }

    /// `60`, `0.5`, `0.001`: a bound as the user would write it.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

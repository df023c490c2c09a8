/// A settings struct that one table of `bridge.conf` fills, key by key.
protocol ConfigSection: Sendable {
    /// The settings before the file is read: every key at its default. A required key holds a
    /// placeholder that no valid value equals, so a reader can tell it was never set.
    static var defaults: Self { get }
    /// The table's keys in file order, one entry each: everything about a key is there.
    static var entries: [ConfigEntry<Self>] { get }
}

/// One key of `bridge.conf` and where it goes in its settings struct.
///
/// The entry is the key's only declaration: ``ConfigReader/read(_:into:_:)`` reads it,
/// ``BridgeConfiguration/effectiveTOML`` shows it, and ``ConfigSchema`` makes
/// `check-config --keys`, `docs/configuration.md` and the `init` template of its ``key``. Its
/// default is the value its settings struct starts with (``ConfigSection/defaults``).
struct ConfigEntry<Settings: ConfigSection>: Sendable {
    /// The key as documented: name, kind (type and bounds), default, doc.
    let key: ConfigKey
    /// Sets the key's value in a table on the settings; a value absent or wrong (reported) leaves
    /// the settings as they were.
    let read: @Sendable (_ settings: inout Settings, _ table: ConfigTable, _ reader: inout ConfigReader) -> Void
    /// The key's lines in the effective configuration: `key = value`, or `# key: not set`.
    let show: @Sendable (_ settings: Settings) -> [String]
}

extension ConfigEntry {
    /// A key whose value is kept at `path`.
    /// - Parameters:
    ///   - name: The key as written in the file.
    ///   - path: Where the value goes; its value in ``ConfigSection/defaults`` is the default.
    ///   - kind: What the file may give: the type and its bounds.
    ///   - doc: One line on what the key is for.
    ///   - phrase: The default as documented, when it is no value (`1883, or 8883 with TLS`).
    ///   - required: Whether the table is incomplete without the key (its default is then
    ///     `none (required)`, and the reader of the table reports it missing).
    ///   - check: What is wrong with a value well-formed for its kind, given the settings read so
    ///     far (keys are read in file order); nil when nothing is.
    ///   - decode: Reads the value; by default as `Value` reads its kind.
    init<Value: ConfigValue>(
        _ name: String, _ path: any WritableKeyPath<Settings, Value> & Sendable, _ kind: ConfigKey.Kind, _ doc: String,
        default phrase: String? = nil, required: Bool = false,
        check: @escaping @Sendable (Value, Settings) -> String? = { _, _ in nil },
        decode: @escaping @Sendable (ConfigKey, ConfigTable, inout ConfigReader) -> Value? = Value.read
    ) {
        let shown = required ? "none (required)" : phrase
        let key = ConfigKey(
            name, kind, default: shown ?? Settings.defaults[keyPath: path].toml, isValue: shown == nil, doc,
            required: required)
        self.init(
            key: key, read: Self.reading(key, into: path, decode: decode, check: check, as: { $0 }),
            show: { settings in ["\(name) = \(settings[keyPath: path].toml)"] })
    }

    /// A key that may be left unset, kept at `path` (nil when unset, by default).
    /// - Parameters:
    ///   - secret: Whether the key names a file holding a secret.
    ///   - check: What is wrong with a value well-formed for its kind; nil when nothing is.
    ///   - content: The secret read from that file, shown redacted with its source after the key.
    ///   - The others as for a key that is always set.
    init<Value: ConfigValue>(
        _ name: String, _ path: any WritableKeyPath<Settings, Value?> & Sendable, _ kind: ConfigKey.Kind, _ doc: String,
        default phrase: String = "none", secret: Bool = false, check: @escaping @Sendable (Value) -> String? = { _ in nil },
        content: @escaping @Sendable (Settings) -> Secret? = { _ in nil }
    ) {
        let key = ConfigKey(name, kind, default: phrase, isValue: false, doc, secret: secret)
        let secretName = String(name.dropLast("_file".count))
        self.init(
            key: key, read: Self.reading(key, into: path, decode: Value.read, check: { value, _ in check(value) }, as: { $0 }),
            show: { settings in
                let line = settings[keyPath: path].map { "\(name) = \($0.toml)" } ?? "# \(name): not set"
                guard let secret = content(settings) else { return [line] }
                return [line, "# \(secretName) = \(TOMLText.quoted(secret.description))  (from \(secret.source))"]
            })
    }

    /// Reads `key` with `decode`, checks the value and keeps it at `path` as `stored(value)`.
    private static func reading<Value, Stored>(
        _ key: ConfigKey, into path: any WritableKeyPath<Settings, Stored> & Sendable,
        decode: @escaping @Sendable (ConfigKey, ConfigTable, inout ConfigReader) -> Value?,
        check: @escaping @Sendable (Value, Settings) -> String?, as stored: @escaping @Sendable (Value) -> Stored
    ) -> @Sendable (inout Settings, ConfigTable, inout ConfigReader) -> Void {
        { settings, table, reader in
            guard let value = decode(key, table, &reader) else { return }
            if let problem = check(value, settings) {
                reader.report(table, key.name, problem)
            } else {
                settings[keyPath: path] = stored(value)
            }
        }
    }
}

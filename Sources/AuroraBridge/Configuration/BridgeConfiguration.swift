import TOMLKit

/// Everything `bridge.conf` says, validated, with defaults filled in.
///
/// Read it with ``load(path:environment:)`` (or ``parse(_:file:environment:secretFiles:)`` for text);
/// both report every problem at once in a ``ConfigurationError``. The sample `bridge.conf` at
/// the repository root documents every key; ``effectiveTOML`` prints what is in force.
public struct BridgeConfiguration: Sendable, Equatable {
    /// `[mqtt]` and `[mqtt.tls]`.
    public var mqtt = MQTT()
    /// `[topics]`.
    public var topics = Topics()
    /// `[retain]`.
    public var retain = Retain()
    /// `[stats]`.
    public var stats = Stats()
    /// `[bus]`.
    public var bus: Bus
    /// `[[inverter]]`: one or more, in file order.
    public var inverters: [Inverter]
    /// `[fields]`.
    public var fields = Fields()
    /// `[archive]` and `[archive.extractors]`.
    public var archive = Archive()
    /// `[log]`.
    public var log = Log()
    /// `[homeassistant]`.
    public var homeAssistant = HomeAssistant()
    /// `[commands]`.
    public var commands = Commands()
    /// `[plant]`.
    public var plant = Plant()
    /// `[http]`.
    public var http = HTTP()

    /// Where the installed service reads its configuration.
    public static let defaultPath = "/etc/aurora-bridge/bridge.conf"

    /// The environment variable that gives the MQTT password; it wins over `password_file`.
    public static let passwordVariable = "AURORA_BRIDGE_MQTT_PASSWORD"

    /// Reads and validates the file at `path`. A missing file is reported with its path and a
    /// hint to use `--config`.
    public static func load(path: String, environment: [String: String]) throws(ConfigurationError) -> Self {
        let text: String
        do throws(TextFile.ReadError) {
            text = try TextFile.readText(path)
        } catch {
            let hint = error.reason == "no such file"
                ? "; create it from the sample bridge.conf, or give another file with --config" : ""
            throw ConfigurationError(
                .init(file: path, subject: "", message: "cannot read the configuration: \(error.reason)\(hint)"))
        }
        return try parse(text, file: path, environment: environment)
    }

    /// Parses and validates configuration text; `file` names it in messages. Secret files it
    /// names (`password_file`, `psk_file`) are read unless `secretFiles` is `.refused`;
    /// `environment` may give the password. Whatever the text holds, this throws or returns:
    /// it never traps.
    public static func parse(
        _ text: String, file: String, environment: [String: String], secretFiles: SecretFiles = .read
    ) throws(ConfigurationError) -> Self {
        if let nul = text.utf8.firstIndex(of: 0) {
            // TOMLKit reads the text as a C string: everything after a NUL would be ignored.
            let line = text.utf8[..<nul].count(where: { $0 == UInt8(ascii: "\n") }) + 1
            throw ConfigurationError(
                .init(file: file, line: line, subject: "", message: "the file contains a NUL byte; a configuration is UTF-8 text"))
        }
        // TOMLKit hands strings and keys over as C strings: an escaped NUL would cut a value
        // short, and in a key it makes TOMLKit's table iteration trap. Refuse them first.
        let locator = KeyLocator(source: text)
        var reader = ConfigReader(file: file, locator: locator, secretFiles: secretFiles)
        if let refusal = locator.refusal {
            reader.report(line: refusal.line, subject: "", refusal.message)
        }
        reader.checkEscapedNULs()
        guard reader.problems.isEmpty else { throw ConfigurationError(problems: reader.problems) }
        let entries: [String: ConfigNode]
        do {
            entries = try ConfigNode.parse(text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                .init(
                    file: file, line: error.source.begin.line, column: error.source.begin.column, subject: "",
                    message: "TOML syntax error: \(error.description)"))
        } catch {
            throw ConfigurationError(.init(file: file, subject: "", message: "TOML syntax error: \(error)"))
        }

        // The tables are read in this order (problems without a line keep it), each over its
        // defaults, with the rules that involve other tables.
        let root = ConfigTable.root(entries)
        reader.checkKeys(root)
        let mqtt = MQTT.read(root.subtable("mqtt"), &reader, environment: environment)
        let bus = Bus.read(root.subtable("bus"), &reader)
        let inverters = Inverter.readAll(root, &reader)
        let topics = Topics.read(root.subtable("topics"), &reader, inverterCount: inverters.count)
        let retain: Retain = reader.section(root.subtable("retain"))
        let stats: Stats = reader.section(root.subtable("stats"))
        let fields = Fields.read(root.subtable("fields"), &reader)
        topics.checkDistinct(
            root.subtable("topics"), &reader, inverters: inverters, fields: Fields.known.compactMap(fields.publishedName))
        let archive = Archive.read(root.subtable("archive"), &reader, environment: environment)
        let log: Log = reader.section(root.subtable("log"))
        let homeAssistant: HomeAssistant = reader.section(root.subtable("homeassistant"))
        let plant = Plant.read(root.subtable("plant"), &reader, inverters: inverters)
        let commands: Commands = reader.section(root.subtable("commands"))
        let http = HTTP.read(root.subtable("http"), &reader, environment: environment)

        guard reader.problems.isEmpty, let bus else { throw ConfigurationError(problems: reader.problems) }
        return Self(
            mqtt: mqtt, topics: topics, retain: retain, stats: stats, bus: bus, inverters: inverters, fields: fields,
            archive: archive, log: log, homeAssistant: homeAssistant, commands: commands, plant: plant, http: http)
    }
}

import Foundation
import Testing

@testable import AuroraBridge

@Suite("The configuration key table")
struct ConfigSchemaTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func docsConfigurationIsGeneratedFromTheTable() throws {
        let path = Self.repository.appendingPathComponent("docs/configuration.md").path
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            written == ConfigSchema.keyList,
            "docs/configuration.md is out of date: regenerate it with `aurora-bridge check-config --keys > docs/configuration.md`")
    }

    @Test func namesAreUniqueAndDefaultsAreAllowed() {
        #expect(Set(ConfigSchema.tables.map(\.name)).count == ConfigSchema.tables.count)
        for table in ConfigSchema.tables {
            #expect(Set(table.keys.map(\.name)).count == table.keys.count, "\(table.title)")
            for key in table.keys {
                if case .duration(let range, _, _) = key.kind {
                    #expect(range.lowerBound >= ConfigKey.minimumSeconds && range.upperBound <= ConfigKey.maximumSeconds)
                }
            }
        }
    }

    /// The effective configuration of the defaults shows, in each table, exactly the declared
    /// keys with the declared defaults.
    @Test func effectiveTOMLShowsEveryDeclaredKeyWithItsDefault() throws {
        let rendered = try parse(minimalConfig + "[mqtt.tls]\n").effectiveTOML
        var sections: [String: [String]] = [:]
        var current = ""
        for line in rendered.split(separator: "\n").map(String.init) {
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            } else {
                sections[current, default: []].append(line)
            }
        }
        for table in ConfigSchema.tables {
            let lines = try #require(sections[table.name], "no \(table.title) in\n\(rendered)")
            let shown = lines.compactMap { line -> String? in
                let text = line.hasPrefix("# ") ? String(line.dropFirst(2)) : line
                guard let end = text.firstIndex(where: { $0 == " " || $0 == ":" }) else { return nil }
                return String(text[..<end])
            }.filter { !["password", "psk"].contains($0) }
            #expect(shown == table.keys.map(\.name) + table.fieldMaps.map(\.name).filter { $0 == "rename" })
            for key in table.keys where key.defaultValue.hasPrefix("none") {
                #expect(lines.contains("# \(key.name): not set") || key.isRequired, "\(table.title) \(key.name)")
            }
            for key in table.keys where !key.defaultValue.hasPrefix("none") && !key.defaultValue.contains(",") {
                #expect(lines.contains("\(key.name) = \(key.defaultValue)"), "\(table.title) \(key.name)")
            }
        }
    }

    @Test func everyDeclaredKeyIsRead() {
        // A wrong type at every declared key: each is reported, so each is read.
        var text = ""
        var count = 0
        for table in ConfigSchema.tables {
            text += table.title + "\n"
            for key in table.keys {
                text += "\(key.name) = 1979-05-27\n"
                count += 1
            }
        }
        let reported = Set(problems(text).map(\.subject))
        for table in ConfigSchema.tables {
            for key in table.keys {
                #expect(reported.contains("\(table.title) \(key.name)"), "\(table.title) \(key.name) is not read")
            }
        }
        #expect(count > 50)
    }

    // MARK: - The values of the issue

    @Test(arguments: [
        ("[[inverter]]\nname = \"a\"\naddress = 2\npoll_interval = 1e13\n", "[[inverter]] poll_interval", "10000000000000.0"),
        ("[[inverter]]\nname = \"a\"\naddress = 2\npoll_interval = 1e308\n", "[[inverter]] poll_interval", "1e+308"),
        ("[[inverter]]\nname = \"a\"\naddress = 2\npoll_interval = 0.0000001\n", "[[inverter]] poll_interval", "1e-07"),
        ("[[inverter]]\nname = \"a\"\naddress = 2\n[stats]\ninterval = 9e18\n", "[stats] interval", "9e+18"),
        ("[[inverter]]\nname = \"a\"\naddress = 2\n[stats]\ninterval = 9000000000000000000\n", "[stats] interval", "9000000000000000000"),
        ("[[inverter]]\nname = \"a\"\naddress = 2\n[archive]\nkeep_days = 1e17\n", "[archive] keep_days", "1e+17"),
        ("[[inverter]]\nname = \"a\"\naddress = 2\n[archive]\nkeep_days = 36501\n", "[archive] keep_days", "36501"),
        ("read_timeout = nan\n[[inverter]]\nname = \"a\"\naddress = 2\n", "[bus] read_timeout", "nan"),
        ("command_delay = -inf\n[[inverter]]\nname = \"a\"\naddress = 2\n", "[bus] command_delay", "-inf"),
    ])
    func hostileNumbersAreRefused(text: String, subject: String, shown: String) {
        let found = problems("[bus]\nport = \"/dev/ttyUSB0\"\n" + text)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.subject == subject)
        let line = text.hasPrefix("[[inverter]]") ? text.split(separator: "\n").count + 2 : 3
        #expect(found.first?.line == line)
        #expect(found.first?.message.hasPrefix("expected ") == true)
        #expect(found.first?.message.hasSuffix("got \(shown)") == true, "\(found)")
    }

    @Test func aNULInATopicPrefixIsRefusedNotCutShort() {
        #expect(
            problem(minimalConfig + "[topics]\nprefix = \"a\\u0000b\"\n")
                == "bridge.conf:8: [topics] prefix: a string must not contain NUL (\\u0000); remove it")
        #expect(
            problem(minimalConfig + "[fields]\nrename = { gridPower = \"p\\U00000000\" }\n")
                == "bridge.conf:8: [fields.rename] gridPower: a string must not contain NUL (\\u0000); remove it")
        #expect(
            problem(minimalConfig + "[mqtt]\n\"host\\u0000x\" = \"a\"\n")
                == "bridge.conf:8: [mqtt] \"host\\u0000x\": a string must not contain NUL (\\u0000); remove it")
        // An escaped backslash before u0000 is no NUL; literal strings have no escapes.
        #expect((try? parse(minimalConfig + "[topics]\nprefix = \"a\\\\u0000\"\n"))?.topics.prefix == "a\\u0000")
        #expect((try? parse(minimalConfig + "[topics]\nprefix = 'a\\u0000'\n"))?.topics.prefix == "a\\u0000")
    }

    @Test func aNULByteEndsNothingSilently() {
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\n\0[[inverter]]\n")
                == "bridge.conf:3: the file contains a NUL byte; a configuration is UTF-8 text")
    }

    @Test func controlCharactersAndLongStringsAreRefused() {
        #expect(
            problem(minimalConfig + "[mqtt]\nclient_id = \"a\\tb\"\n")
                .hasPrefix("bridge.conf:8: [mqtt] client_id: expected a client identifier without control characters"))
        let long = String(repeating: "a", count: 4097)
        #expect(
            problem(minimalConfig + "[topics]\nprefix = \"\(long)\"\n")
                == "bridge.conf:8: [topics] prefix: expected a topic prefix of at most 4096 bytes, got 4097 bytes")
        let prefix = String(repeating: "p", count: 4096)
        let template = String(repeating: "{prefix}/", count: 17) + "x"
        #expect(
            problem(minimalConfig + "[topics]\nprefix = \"\(prefix)\"\nbridge_state = \"\(template)\"\n")
                == "bridge.conf:9: [topics] bridge_state: the topic of bridge_state is 69650 bytes; MQTT allows at "
                + "most 65535: shorten the template, the prefix or the names")
    }

    @Test func newKeysAreReadWithTheirDefaults() throws {
        let defaults = try parse(minimalConfig)
        #expect(defaults.mqtt.maxDisconnected == .seconds(600))
        #expect(defaults.archive.busyTimeout == .seconds(5))
        #expect(defaults.archive.queueLimit == 10000)
        #expect(defaults.archive.window == 32)
        let set = try parse(
            minimalConfig + "[mqtt]\nmax_disconnected = 120\n[archive]\nbusy_timeout = 0.25\nqueue_limit = 500\nwindow = 8\n")
        #expect(set.mqtt.maxDisconnected == .seconds(120))
        #expect(set.archive.busyTimeout == .milliseconds(250))
        #expect(set.archive.queueLimit == 500)
        #expect(set.archive.window == 8)
        #expect(
            problem(minimalConfig + "[archive]\nqueue_limit = 1000001\n")
                == "bridge.conf:8: [archive] queue_limit: expected an integer from 1 to 1000000, got 1000001")
    }

    @Test func secretFilesAreNotOpenedWhenRefused() {
        do {
            _ = try BridgeConfiguration.parse(
                minimalConfig + "[mqtt]\nusername = \"u\"\npassword_file = \"/dev/zero\"\n", file: "f.conf",
                environment: [:], secretFiles: .refused)
            Issue.record("parsed")
        } catch {
            #expect(error.description == "f.conf:9: [mqtt] password_file: cannot read \"/dev/zero\": secret files are not read here")
        }
    }
}

@Suite("Text the reader refuses before TOMLKit sees it")
struct ConfigReaderSafetyTests {
    /// Regression: a NUL escape in a quoted key made TOMLKit's table iteration trap.
    @Test func aNULInAKeyDoesNotTrap() {
        let found = problems("[\"a\\u0000b\"]\nx = 1\n")
        #expect(found.map(\.description) == ["bridge.conf:1: \"a\\u0000b\": a string must not contain NUL (\\u0000); remove it"])
    }

    /// Regression (found by `make fuzz`, target config): a table header whose first character is
    /// neither a key character nor a quote failed an assertion in toml++ (SIGABRT in a debug
    /// build, undefined behaviour in a release build).
    @Test(arguments: ["[=]\n", "[ [a]]\n", "[[!x]]\n", "[\u{FFFD}\u{8F}t]\n", "[é]\n"])
    func aTableHeaderWithoutAKeyIsRefusedBeforeTOMLKit(header: String) {
        #expect(
            problem(minimalConfig + header)
                == "bridge.conf:7: a table header must start with a key (letters, digits, \"-\", \"_\" or a quoted key)")
    }

    @Test func theFuzzersHeaderInputIsRefused() throws {
        let input = try #require(Data(base64Encoded: Self.fuzzedHeader))
        let found = problems(String(decoding: input, as: UTF8.self))
        #expect(found.map(\.description) == [
            "bridge.conf:1: a table header must start with a key (letters, digits, \"-\", \"_\" or a quoted key)"
        ])
    }

    /// Regression (found by `make fuzz`, target config): `}` where an array expects a value
    /// failed an assertion in toml++'s `parse_value`.
    @Test(arguments: ["[fields]\nexclude = [[\"leakCurrent\",\n\n}\n", "[fields]\nexclude = [}]\n", "[fields]\nexclude = [\"a\", # c\n }\n"])
    func aBraceWhereAnArrayExpectsAValueIsRefusedBeforeTOMLKit(text: String) {
        let found = problems(text)
        #expect(found.count == 1)
        #expect(found.first?.message == "expected a value or \"]\" in an array, got \"}\"", "\(found)")
    }

    static let fuzzedHeader =
        "W56KjKb1j5CPdCA9ICIvZGV2L3R0eVVTQiUiCgpbc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc1tpbnYKCltbaW52ZXJ0ZXJdXQpuYW1lZXJ0ZXJdXQpuYXVyb3JhL2ludmVydGVyL2xvb3AvYnVsa1ZvbHRhZ2VhbWUgPSAiaW52ZXJ0ZXIiCmFkZHJlc3MgPSAyCg=="

    @Test func deepNestingIsRefusedWithItsLine() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(
            problem(minimalConfig + "[fields]\nexclude = \(deep)\n")
                == "bridge.conf:8: tables, arrays and inline tables are nested deeper than 64 levels; no key takes that")
        let dotted = (0..<100).map { "t\($0)" }.joined(separator: ".")
        #expect(problem(minimalConfig + "[\(dotted)]\n").hasPrefix("bridge.conf:7: tables, arrays and inline tables are nested"))
    }
}

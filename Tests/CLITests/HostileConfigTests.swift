import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

/// `check-config` on files whose every key of a kind holds a hostile value: each run exits 78
/// and names every key with its file and line, and none traps.
@Suite("check-config refuses hostile values")
struct HostileConfigTests {
    /// A hostile value as TOML, and which kinds of key it is hostile to.
    struct Hostile: CustomTestStringConvertible, Sendable {
        let toml: String
        let numeric: Bool
        let textual: Bool
        var testDescription: String { toml.count > 40 ? "a string of \(toml.count - 2) characters" : toml }
    }

    static let numbers = [
        "1e13", "1e308", "-1e308", "9e18", "9000000000000000000", "9223372036854775807", "-9223372036854775808",
        "-1", "1e-7", "5e-324", "nan", "-nan", "inf", "-inf", "1e17",
    ].map { Hostile(toml: $0, numeric: true, textual: false) }

    static let strings = [
        #""a\u0000b""#, #""\U00000000""#, #""\u0007""#, #""line\nbreak""#, #""\t""#, #""a\u007Fb""#, "\"\"",
        "\"" + String(repeating: "a", count: ConfigKey.maximumStringBytes + 1) + "\"",
        "\"" + String(repeating: "é", count: ConfigKey.maximumStringBytes / 2 + 1) + "\"",
    ].map { Hostile(toml: $0, numeric: false, textual: true) }

    /// Values of the wrong type: hostile to every key.
    static let wrongTypes = ["[1, 2]", "{ a = 1 }", "1979-05-27T07:32:00Z"].map { Hostile(toml: $0, numeric: true, textual: true) }

    /// A document with `value` at every key it is hostile to, and the line of each such key.
    static func document(with value: Hostile) -> (text: String, expected: [(subject: String, line: Int)]) {
        var lines: [String] = []
        var expected: [(subject: String, line: Int)] = []
        for table in ConfigSchema.tables {
            lines.append(table.title)
            var hostileKeys: Set<String> = []
            for key in table.keys {
                let hostile = switch key.kind {
                case .duration, .integer, .integerChoice: value.numeric
                case .string, .choice: value.textual
                case .boolean, .fieldNames: value.numeric && value.textual
                }
                guard hostile else { continue }
                lines.append("\(key.name) = \(value.toml)")
                expected.append(("\(table.title) \(key.name)", lines.count))
                hostileKeys.insert(key.name)
            }
            // The required keys the value left alone, so the document is otherwise complete.
            if table.name == "bus", !hostileKeys.contains("port") { lines.append("port = \"/dev/ttyUSB0\"") }
            if table.name == "inverter", !hostileKeys.contains("name") { lines.append("name = \"inverter\"") }
            if table.name == "inverter", !hostileKeys.contains("address") { lines.append("address = 2") }
            lines.append("")
        }
        return (lines.joined(separator: "\n"), expected)
    }

    @Test(arguments: numbers + strings + wrongTypes)
    func everyKeyIsRefusedWithItsLine(value: Hostile) async throws {
        let directory = try TemporaryDirectory("hostile")
        let (text, expected) = Self.document(with: value)
        let path = directory.file("hostile.conf")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await BridgeCommandLine.run(["check-config", "--config", path])
        #expect(result.exitCode == 78, "\(result)")
        #expect(result.output.isEmpty)
        #expect(!expected.isEmpty)
        let reported = result.errors.split(separator: "\n")
        for (subject, line) in expected {
            let prefix = "\(path):\(line): \(subject): "
            #expect(reported.contains { $0.hasPrefix(prefix) }, "no problem reported as \(prefix)\n\(result.errors)")
        }
    }

    @Test func aNULByteInTheFileIsRefusedWithItsLine() async throws {
        let directory = try TemporaryDirectory("hostile")
        let path = directory.file("nul.conf")
        try Data("[bus]\nport = \"/dev/ttyUSB0\"\n\0\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try await BridgeCommandLine.run(["check-config", "--config", path])
        #expect(result.exitCode == 78, "\(result)")
        #expect(result.errors.hasPrefix("\(path):3: the file contains a NUL byte"), "\(result)")
    }
}

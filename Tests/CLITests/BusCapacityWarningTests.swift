import AuroraTestSupport
import Foundation
import Testing

/// `check-config` on intervals the bus cannot carry: a warning with the interval that fits,
/// and still exit 0.
@Suite struct BusCapacityWarningTests {
    private func check(inverters: Int, interval: Double) async throws -> CommandResult {
        let directory = try TemporaryDirectory("capacity")
        var lines = ["[bus]", "port = \"/dev/ttyUSB0\"", ""]
        for index in 0..<inverters {
            lines += ["[[inverter]]", "name = \"inv\(index)\"", "address = \(index + 2)", "poll_interval = \(interval)", ""]
        }
        let path = directory.file("bridge.conf")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try await BridgeCommandLine.run(["check-config", "--config", path])
    }

    @Test func eightInvertersAtOneSecondAreWarnedAboutAndStillValid() async throws {
        let result = try await check(inverters: 8, interval: 1)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.output.contains("[[inverter]]"), "the effective settings are printed as usual")
        #expect(result.errors.contains("aurora-bridge: warning: the poll intervals need 282% of the bus"), "\(result)")
        #expect(result.errors.contains("a poll_interval of 3 s or more for every inverter fits"), "\(result)")
    }

    @Test func intervalsThatFitAreNotWarnedAbout() async throws {
        let result = try await check(inverters: 8, interval: 10)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.errors.isEmpty, "\(result)")
    }
}

import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("aurora-bridge init")
struct InitCommandTests {
    @Test func writesAConfigurationThatCheckConfigAcceptsAndNeverOverwritesWithoutForce() async throws {
        try await SimulatedBus.withPseudoTerminal(addresses: [34, 35]) { bus in
            let directory = try TemporaryDirectory("init")
            let path = directory.file("bridge.conf")
            let port = try #require(bus.linkPath)
            let arguments = ["init", "--port", port, "--from", "33", "--to", "36", "--broker", "127.0.0.1:1884", "--output", path]
            let written = try await BridgeCommandLine.run(arguments, timeout: .seconds(60))
            #expect(written.exitCode == 0, "\(written)")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let set = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(" = ") }
            #expect(set == [
                "host = \"127.0.0.1\"", "port = 1884", "port = \"\(port)\"",
                "name = \"pvi-3-6-outd-34\"", "address = 34", "name = \"pvi-3-6-outd-35\"", "address = 35",
            ], "only the port, the broker and the inverters are set:\n\(text)")
            #expect(text.contains("# PVI-3.6-OUTD, serial number 240035"))

            let checked = try await BridgeCommandLine.run(["check-config", "--config", path])
            #expect(checked.exitCode == 0, "\(checked)")
            #expect(checked.output.contains("pvi-3-6-outd-35"), "\(checked)")

            try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: path))
            let refused = try await BridgeCommandLine.run(arguments, timeout: .seconds(60))
            #expect(refused.exitCode == 73, "\(refused)")
            #expect(refused.errors.contains("--force"), "\(refused)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me\n")

            let forced = try await BridgeCommandLine.run(arguments + ["--force"], timeout: .seconds(60))
            #expect(forced.exitCode == 0, "\(forced)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        }
    }
}

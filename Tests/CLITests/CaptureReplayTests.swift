import AuroraSimulator
import AuroraTestSupport
import Foundation
import Glibc
import Testing

@Suite("Capture and replay")
struct CaptureReplayTests {
    /// `query readings --json` with a capture, then the same query against `aurora-sim --replay`
    /// of that capture: the same output.
    private func captureAndReplay(faults: FaultSettings, readTimeout: String) async throws -> (original: CommandResult, replayed: CommandResult, capture: String) {
        let directory = try TemporaryDirectory("capture")
        let capture = directory.file("capture.jsonl")
        let options = ["--time-zone", "UTC", "--read-timeout", readTimeout]
        let original = try await SimulatedBus.withPseudoTerminal(faults: faults) { bus in
            try await BridgeCommandLine.run(["query", "readings", "--json", "--port", try #require(bus.linkPath), "--capture", capture] + options, timeout: .seconds(120))
        }
        let link = directory.file("ttyReplay")
        let sim = try ChildProcess(
            executable: BuiltProduct.path("aurora-sim"), arguments: ["--link", link, "--replay", capture],
            outputPath: directory.file("sim.out"), errorPath: directory.file("sim.err"))
        defer {
            sim.send(SIGTERM)
        }
        _ = try await Deadline.wait(for: "aurora-sim's link", timeout: .seconds(10)) {
            ((try? String(contentsOfFile: directory.file("sim.out"), encoding: .utf8)) ?? "").contains("\n") ? true : nil
        }
        let replayed = try await BridgeCommandLine.run(["query", "readings", "--json", "--port", link] + options, timeout: .seconds(120))
        sim.send(SIGTERM)
        try await sim.waitForExit(timeout: .seconds(10))
        let notes = (try? String(contentsOfFile: directory.file("sim.err"), encoding: .utf8)) ?? ""
        #expect(!notes.contains("replay:"), "the replayed run diverged: \(notes)")
        return (original, replayed, try String(contentsOfFile: capture, encoding: .utf8))
    }

    @Test func aHealthyCaptureReplaysToTheSameReadings() async throws {
        let (original, replayed, capture) = try await captureAndReplay(faults: .none, readTimeout: "3")
        #expect(original.exitCode == 0, "\(original)")
        #expect(replayed.exitCode == 0, "\(replayed)")
        #expect(replayed.output == original.output)
        let lines = try capture.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(lines.first?["capture"] as? String == "aurora-bridge")
        #expect(lines.first?["baud"] as? Int == 19200)
        let sent = lines.filter { $0["dir"] as? String == "tx" }
        let received = lines.filter { $0["dir"] as? String == "rx" }
        #expect(sent.count == 32, "one request per reading")
        #expect(sent.allSatisfy { ($0["hex"] as? String)?.count == 20 })
        #expect(received.allSatisfy { $0["accepted"] as? Bool == true }, "\(capture)")
        #expect(received.compactMap { $0["hex"] as? String }.joined().count == 32 * 16, "one 8-byte reply per reading (a reply may come in chunks)")
    }

    @Test func crcErrorsAndLateRepliesReplayToTheSameReadings() async throws {
        let faults = FaultSettings(crcErrorRate: 0.1, garbageRate: 0.05, seed: 11, lateRate: 0.1, lateDelay: .milliseconds(700))
        let (original, replayed, capture) = try await captureAndReplay(faults: faults, readTimeout: "0.5")
        #expect(original.exitCode == 0, "\(original)")
        #expect(replayed.exitCode == 0, "\(replayed)")
        #expect(replayed.output == original.output)
        #expect(capture.contains("\"reason\":\"crc\""), "the capture shows the CRC errors")
        #expect(capture.contains("\"reason\":\"unplaced\"") || capture.contains("\"reason\":\"flushed\""), "the capture shows the late replies")
    }
}

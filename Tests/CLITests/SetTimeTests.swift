import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("aurora-bridge set-time")
struct SetTimeTests {
    @Test func setsTheInverterClockToTheHostsTimeAndShowsTheErrorBeforeAndAfter() async throws {
        let rome = try #require(TimeZone(identifier: "Europe/Rome"))
        try await SimulatedBus.withPseudoTerminal(timeZone: rome) { bus in
            let path = try #require(bus.linkPath)
            // The simulated clock stands still, so the inverter clock falls behind the host's from
            // the moment it is set: every bound allows for how long the commands took (a loaded
            // machine can take seconds to start a process) plus a second of rounding.
            let started = Date().timeIntervalSince1970
            let result = try await BridgeCommandLine.run(["set-time", "--port", path, "--time-zone", "Europe/Rome"])
            let host = Date().timeIntervalSince1970
            let slack = host - started + 1
            #expect(result.exitCode == 0, "\(result)")

            // The simulator's inverter clock now shows the host's time (as it was while the command ran).
            let inverterClock = bus.clock.now + bus.simulator.clockOffset(address: 2)
            #expect(inverterClock >= started - 1 && inverterClock <= host + 1, "inverter at \(inverterClock), host from \(started) to \(host)")

            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(result)")
            func error(in line: String) -> Int? {
                guard let range = line.range(of: "error ") else { return nil }
                return Int(line[range.upperBound...].prefix { $0 == "-" || $0.isNumber })
            }
            let before = try #require(error(in: lines.first ?? ""), "\(result)")
            let after = try #require(error(in: lines.last ?? ""), "\(result)")
            #expect(abs(Double(before) - (SimulatedBus.defaultStart - host)) <= slack + 1)
            #expect(abs(Double(after)) <= slack)
            #expect(lines.first?.contains("2026-06-21 15:00:00 Europe/Rome") == true)

            // A query afterwards agrees.
            let time = try await BridgeCommandLine.query("time", on: bus, timeZone: "Europe/Rome", ["--json"])
            let sinceStart = Date().timeIntervalSince1970 - started + 1
            #expect(abs(Double(try #require(try time.jsonObject()["clockError"] as? Int))) <= sinceStart)
        }
    }
}

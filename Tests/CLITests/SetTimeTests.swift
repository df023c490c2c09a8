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
            let result = try await BridgeCommandLine.run(["set-time", "--port", path, "--time-zone", "Europe/Rome"])
            let host = Date().timeIntervalSince1970
            #expect(result.exitCode == 0, "\(result)")

            // The simulator's inverter clock now shows the host's time.
            let inverterClock = bus.clock.now + bus.simulator.clockOffset(address: 2)
            #expect(abs(inverterClock - host) <= 2, "inverter at \(inverterClock), host at \(host)")

            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(result)")
            func error(in line: String) -> Int? {
                guard let range = line.range(of: "error ") else { return nil }
                return Int(line[range.upperBound...].prefix { $0 == "-" || $0.isNumber })
            }
            let before = try #require(error(in: lines.first ?? ""), "\(result)")
            let after = try #require(error(in: lines.last ?? ""), "\(result)")
            #expect(abs(Double(before) - (SimulatedBus.defaultStart - host)) <= 3)
            #expect(abs(after) <= 2)
            #expect(lines.first?.contains("2026-06-21 15:00:00 Europe/Rome") == true)

            // A query afterwards agrees.
            let time = try await BridgeCommandLine.query("time", on: bus, timeZone: "Europe/Rome", ["--json"])
            #expect(abs(try #require(try time.jsonObject()["clockError"] as? Int)) <= 2)
        }
    }
}

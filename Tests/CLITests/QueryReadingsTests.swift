import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("aurora-bridge query readings")
struct QueryReadingsTests {
    static let fieldNames = LoopFieldNames.fullPoll

    @Test func jsonHasEveryFieldWithTheServedValueSpelledExactly() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let result = try await BridgeCommandLine.query("readings", on: bus, ["--json"])
            #expect(result.exitCode == 0, "\(result)")
            let object = try result.jsonObject()
            #expect(Set(object.keys) == Set(Self.fieldNames))
            #expect(object.count == 32)

            let expected = try #require(bus.snapshot(address: 2))
            var members: [String] = []
            for type in MeasureType.polled {
                let value = try #require(expected.measures[type])
                members.append("\"\(try #require(type.fieldName))\":\(value.description)")
            }
            for period in EnergyPeriod.allCases {
                members.append("\"\(period.fieldName)\":\(try #require(expected.energy[period]))")
            }
            members.append("\"inverterDateTime\":\(Int64(SimulatedBus.defaultStart))")
            // The exact text, in poll order: shortest round-trip floats, integer energy counters,
            // isolation resistance in MΩ as served.
            #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "{" + members.joined(separator: ",") + "}")
            let isolation = try #require(object["isoResistance"] as? Double)
            #expect(Float(isolation) == expected.measures[.isolationResistance])
            #expect((10...20).contains(isolation), "MΩ, not Ω")
            #expect(result.errors.isEmpty)
        }
    }

    @Test func tableShowsEveryFieldWithItsUnit() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let result = try await BridgeCommandLine.query("readings", on: bus)
            #expect(result.exitCode == 0, "\(result)")
            let expected = try #require(bus.snapshot(address: 2))
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 32)
            func line(_ name: String) -> String? { lines.first { $0.hasPrefix(name + " ") } }
            #expect(line("gridPower")?.hasSuffix(" \(try #require(expected.measures[.gridPower]).description) W") == true)
            #expect(line("gridVoltage")?.hasSuffix(" V") == true)
            #expect(line("gridCurrent")?.hasSuffix(" A") == true)
            #expect(line("gridFrequency")?.hasSuffix(" Hz") == true)
            #expect(line("inverterTemp")?.hasSuffix(" °C") == true)
            #expect(line("isoResistance")?.hasSuffix(" \(try #require(expected.measures[.isolationResistance]).description) MΩ") == true)
            #expect(line("totalEnergy")?.hasSuffix(" \(try #require(expected.energy[.total])) Wh") == true)
            #expect(line("inverterDateTime")?.hasSuffix(" \(Int64(SimulatedBus.defaultStart)) s") == true)
            for name in Self.fieldNames {
                #expect(line(name) != nil, "\(name) missing from\n\(result.output)")
            }
        }
    }

    @Test func anUnsupportedMeasureIsLeftOutQuietly() async throws {
        try await SimulatedBus.withPseudoTerminal(configure: { $0.unsupportedMeasures = [.gridNeutralVoltage] }) { bus in
            let result = try await BridgeCommandLine.query("readings", on: bus, ["--json"])
            #expect(result.exitCode == 0, "\(result)")
            let object = try result.jsonObject()
            #expect(object.count == 31 && object["gridnVoltage"] == nil)
            #expect(result.errors.isEmpty)
        }
    }
}

/// `query readings` on a noisy line: 10 % of replies with a bad CRC, 10 % dropped and 10 % behind
/// stray bytes or cut short. Each run is a fresh link that knows nothing of the inverter yet.
@Suite("aurora-bridge query readings on a noisy line")
struct NoisyQueryReadingsTests {
    @Test func tenRunsOfTenPercentOfEachFaultCompleteWithEveryValueRight() async throws {
        let faults = FaultSettings(crcErrorRate: 0.1, dropRate: 0.1, garbageRate: 0.1, seed: 2026)
        try await SimulatedBus.withPseudoTerminal(faults: faults) { bus in
            let expected = try #require(bus.snapshot(address: 2))
            var served: [String: String] = [:]
            for type in MeasureType.polled { served[try #require(type.fieldName)] = try #require(expected.measures[type]).description }
            for period in EnergyPeriod.allCases { served[period.fieldName] = String(try #require(expected.energy[period])) }
            served["inverterDateTime"] = String(Int64(SimulatedBus.defaultStart))
            var present = 0
            for run in 1...10 {
                let result = try await BridgeCommandLine.query("readings", on: bus, ["--json"])
                #expect(result.exitCode == 0, "run \(run): \(result)")
                let object = try result.jsonObject()
                present += object.count
                // The exact text of every member, as the inverter served it.
                let text = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                for name in object.keys {
                    let member = "\"\(name)\":\(try #require(served[name]))"
                    #expect(text.contains(member + ",") || text.hasSuffix(member + "}"), "run \(run): \(name) is not the value served: \(text)")
                }
            }
            #expect(Double(present) >= 0.97 * 320, "\(present) of 320 fields present")
        }
    }
}

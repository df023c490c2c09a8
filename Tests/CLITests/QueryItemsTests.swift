import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("aurora-bridge query info|state|energy|time|alarms")
struct QueryItemsTests {
    @Test func info() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let json = try await BridgeCommandLine.query("info", on: bus, ["--json"])
            #expect(json.exitCode == 0, "\(json)")
            let object = try json.jsonObject()
            #expect(object["partNumber"] as? String == "-3G79-")
            #expect(object["serialNumber"] as? String == "240002")
            #expect(object["version"] as? String == "OENN")
            #expect(object["model"] as? String == VersionInfo(code: "OENN").model)
            #expect(object["gridStandard"] as? String == VersionInfo(code: "OENN").gridStandard)
            #expect(object["firmware"] as? String == "C.0.1.6")
            #expect(object["manufactureDate"] as? String == "week 46 of 2012")

            let table = try await BridgeCommandLine.query("info", on: bus)
            #expect(table.exitCode == 0, "\(table)")
            #expect(table.output.contains("part number    -3G79-"))
            #expect(table.output.contains("serial number  240002"))
            #expect(table.output.contains("firmware       C.0.1.6"))
        }
    }

    @Test func state() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let status = try #require(bus.snapshot()?.status)
            let json = try await BridgeCommandLine.query("state", on: bus, ["--json"])
            #expect(json.exitCode == 0, "\(json)")
            let object = try json.jsonObject()
            let global = try #require(object["global"] as? [String: Any])
            #expect(global["code"] as? Int == 6)
            #expect(global["text"] as? String == status.global.description)
            let inverter = try #require(object["inverter"] as? [String: Any])
            #expect(inverter["code"] as? Int == Int(status.inverter.code))
            #expect((object["dcdc1"] as? [String: Any])?["code"] as? Int == Int(status.dcdc1.code))
            #expect((object["alarm"] as? [String: Any])?["code"] as? Int == Int(status.alarm.code))

            let table = try await BridgeCommandLine.query("state", on: bus)
            #expect(table.exitCode == 0, "\(table)")
            #expect(table.output.contains("global    \(status.global.description) (6)"))
            #expect(table.output.contains("alarm     \(status.alarm.description) (\(status.alarm.code))"))
        }
    }

    @Test func energy() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let expected = try #require(bus.snapshot()?.energy)
            let json = try await BridgeCommandLine.query("energy", on: bus, ["--json"])
            #expect(json.exitCode == 0, "\(json)")
            let members = EnergyPeriod.allCases.map { "\"\($0.fieldName)\":\(expected[$0] ?? 0)" }
            #expect(json.output.trimmingCharacters(in: .newlines) == "{" + members.joined(separator: ",") + "}")

            let table = try await BridgeCommandLine.query("energy", on: bus)
            #expect(table.exitCode == 0, "\(table)")
            #expect(table.output.contains("totalEnergy    \(expected[.total] ?? 0) Wh"))
            #expect(table.output.contains("dayEnergy      \(expected[.day] ?? 0) Wh"))
        }
    }

    @Test func time() async throws {
        let rome = try #require(TimeZone(identifier: "Europe/Rome"))
        try await SimulatedBus.withPseudoTerminal(timeZone: rome) { bus in
            let json = try await BridgeCommandLine.query("time", on: bus, timeZone: "Europe/Rome", ["--json"])
            #expect(json.exitCode == 0, "\(json)")
            let object = try json.jsonObject()
            let start = Int(SimulatedBus.defaultStart)
            #expect(object["inverterDateTime"] as? Int == start)
            #expect(object["inverterTime"] as? String == "2026-06-21 15:00:00 Europe/Rome")
            let error = try #require(object["clockError"] as? Int)
            let host = Int(Date().timeIntervalSince1970)
            #expect(abs(error - (start - host)) <= 5)

            let table = try await BridgeCommandLine.query("time", on: bus, timeZone: "Europe/Rome")
            #expect(table.exitCode == 0, "\(table)")
            #expect(table.output.contains("inverter time     2026-06-21 15:00:00 Europe/Rome"))
            #expect(table.output.contains("clock error"))
        }
    }

    @Test func alarms() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let json = try await BridgeCommandLine.query("alarms", on: bus, ["--json"])
            #expect(json.exitCode == 0, "\(json)")
            let alarms = try #require(try json.jsonObject()["alarms"] as? [[String: Any]])
            #expect(alarms.map { $0["code"] as? Int } == [3, 1, 3, 1])
            #expect(alarms.map { $0["text"] as? String } == [3, 1, 3, 1].map { Alarm(code: $0).description })

            let table = try await BridgeCommandLine.query("alarms", on: bus)
            #expect(table.exitCode == 0, "\(table)")
            #expect(table.output.contains("alarm 1  \(Alarm(code: 3).description) (3)"))
            #expect(table.output.contains("alarm 4  \(Alarm(code: 1).description) (1)"))
        }
    }
}

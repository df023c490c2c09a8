import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("aurora-bridge scan")
struct ScanCommandTests {
    @Test func jsonListsExactlyTheServedAddressesWithTheirIdentity() async throws {
        try await SimulatedBus.withPseudoTerminal(addresses: [39, 40]) { bus in
            let result = try await BridgeCommandLine.run(["scan", "--port", try #require(bus.linkPath), "--json", "--from", "38", "--to", "41"], timeout: .seconds(60))
            #expect(result.exitCode == 0, "\(result)")
            let parsed = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
            let objects = try #require(parsed as? [[String: Any]], "\(result)")
            #expect(objects.compactMap { $0["address"] as? Int } == [39, 40])
            #expect(objects.compactMap { $0["serialNumber"] as? String } == ["240039", "240040"])
            for object in objects {
                #expect(Set(object.keys) == ["address", "partNumber", "serialNumber", "model", "firmware", "state"])
                #expect(object["model"] as? String == "PVI-3.6-OUTD")
                #expect(object["partNumber"] as? String == "-3G79-")
                #expect(object["state"] as? String == "Run")
            }
        }
    }

    @Test func theTableHasOneLinePerInverter() async throws {
        try await SimulatedBus.withPseudoTerminal(addresses: [32, 33]) { bus in
            let result = try await BridgeCommandLine.run(["scan", "--port", try #require(bus.linkPath), "--from", "31", "--to", "34"])
            #expect(result.exitCode == 0, "\(result)")
            let lines = result.output.split(separator: "\n")
            #expect(lines.count == 2, "\(result)")
            #expect(lines.first?.hasPrefix("address 32: PVI-3.6-OUTD, part number -3G79-, serial number 240032") == true, "\(result)")
            #expect(lines.last?.hasPrefix("address 33: ") == true, "\(result)")
        }
    }

    @Test func anEmptyBusExits69SayingWhatToCheck() async throws {
        try await SimulatedBus.withPseudoTerminal(addresses: [2]) { bus in
            let result = try await BridgeCommandLine.run(["scan", "--port", try #require(bus.linkPath), "--from", "10", "--to", "14"])
            #expect(result.exitCode == 69, "\(result)")
            for hint in ["wiring", "termination", "baud", "daylight"] {
                #expect(result.errors.contains(hint), "\(result)")
            }
            #expect(result.output.isEmpty)
        }
    }

    @Test func aBadRangeIsAUsageError() async throws {
        let result = try await BridgeCommandLine.run(["scan", "--port", "/dev/ttyUSB0", "--from", "40", "--to", "3"])
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.errors.contains("--from"), "\(result)")
    }
}

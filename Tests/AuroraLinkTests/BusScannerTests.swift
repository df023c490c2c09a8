import AuroraLink
import AuroraSimulator
import AuroraTestSupport
import Testing

@Suite("Bus scan")
struct BusScannerTests {
    /// The default settings over the whole range: one sweep timeout per address, so about 20 s.
    @Test func theWholeBusTakesUnder25sAndFindsExactlyTheServedAddresses() async throws {
        try await SimulatedBus.withPseudoTerminal(addresses: [2, 7, 40, 63]) { bus in
            let started = ContinuousClock.now
            let found = try await BusScanner(port: .serial(path: try #require(bus.linkPath))).scan()
            let elapsed = started.duration(to: .now)
            #expect(found.map(\.address) == [2, 7, 40, 63])
            #expect(found.map(\.identity.serialNumber) == ["240002", "240007", "240040", "240063"])
            #expect(elapsed < .seconds(25), "took \(elapsed)")
        }
    }

    /// Every reply 450 ms late, the sweep waiting 300 ms: the reply to 5 arrives while 6 is asked.
    @Test func aLateReplyIsNeverTakenForTheNextAddress() async throws {
        let faults = FaultSettings(lateRate: 1, lateDelay: .milliseconds(450))
        try await SimulatedBus.withPseudoTerminal(addresses: [5], faults: faults) { bus in
            let scanner = BusScanner(port: .serial(path: try #require(bus.linkPath)), addresses: 1...8)
            let found = try await scanner.scan()
            #expect(found.allSatisfy { $0.address == 5 }, "phantom: \(found.map(\.address))")
            #expect(found.allSatisfy { $0.identity.serialNumber == "240005" })
        }
    }

    /// Half the replies late, three neighbours and one more: nothing reported that is not
    /// there, and every identity reported is the one served at its address.
    @Test func mixedLateRepliesGiveNoPhantomAndTrueIdentities() async throws {
        let served: Set<UInt8> = [2, 3, 4, 6]
        let faults = FaultSettings(seed: 7, lateRate: 0.5, lateDelay: .milliseconds(450))
        try await SimulatedBus.withPseudoTerminal(addresses: served.sorted(), faults: faults) { bus in
            let scanner = BusScanner(port: .serial(path: try #require(bus.linkPath)), addresses: 1...8)
            let found = try await scanner.scan()
            #expect(Set(found.map(\.address)).isSubset(of: served), "phantom: \(found.map(\.address))")
            for inverter in found {
                #expect(inverter.identity.serialNumber == String(240_000 + Int(inverter.address)))
                #expect(inverter.identity.partNumber == "-3G79-")
            }
        }
    }
}

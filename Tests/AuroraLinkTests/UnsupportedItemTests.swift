import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Items the model does not have")
struct UnsupportedItemTests {
    @Test func anUnsupportedMeasureIsSkippedAndNotAskedForAgain() async throws {
        try await SimulatedBus.withPseudoTerminal(configure: { $0.unsupportedMeasures = [.gridNeutralPhaseVoltage] }) { bus in
            // Exact request counts: a fixed timeout, which a reply delayed by a loaded machine never reaches.
            let link = LinkFixtures.link(to: bus, learnsReplyTimeout: false)
            let clock = InverterClock(timeZone: .gmt)
            let inverter = Inverter(link: link, address: 2, clock: clock)
            let expected = try #require(bus.snapshot(address: 2))
            #expect(expected.measures[.gridNeutralPhaseVoltage] == nil)

            let first = try await inverter.readAll()
            let second = try await inverter.readAll()
            for poll in [first, second] {
                LinkFixtures.expect(poll, equals: expected, clock: clock)
                #expect(poll.measures.count == 24)
                #expect(!poll.namedValues.contains { $0.name == "gridnphVoltage" })
            }
            let unsupported = Request.measure(.gridNeutralPhaseVoltage, address: 2)
            let asked = bus.simulator.servedLog.filter { $0.request == unsupported }
            #expect(asked.count == 1, "asked once, then remembered")
            #expect(asked.first?.response.transmissionState.code == 51)
            #expect(bus.simulator.servedLog.count == 32 + 31)
            let statistics = await link.statistics
            #expect(statistics.refusals == 1 && statistics.requests == 63)

            // Asked for directly, it is refused without a request on the bus.
            let error = await linkError { () async throws(LinkError) in try await inverter.measure(.gridNeutralPhaseVoltage) }
            #expect(error?.isNotSupported == true)
            #expect(bus.simulator.servedLog.count == 63)
        }
    }

    @Test func anUnknownEnergyPeriodIsRefusedAsNotExisting() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let link = LinkFixtures.link(to: bus)
            let request = Request(address: 2, command: .cumulatedEnergy, parameters: [2])  // the obsolete "last 7 days"
            let error = await linkError { () async throws(LinkError) in try await link.transact(request) }
            #expect(error == .refused(TransmissionError(command: .cumulatedEnergy, state: TransmissionState(code: 52))))
            #expect(error?.isNotSupported == true)
            #expect(await link.statistics.requests == 1, "not-supported is final: no retry")
        }
    }
}

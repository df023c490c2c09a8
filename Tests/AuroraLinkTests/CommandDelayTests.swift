import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Delay between request and read")
struct CommandDelayTests {
    @Test func everyTransactionWaitsAtLeastTheCommandDelay() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let delay: Duration = .milliseconds(120)
            let link = LinkFixtures.link(to: bus, commandDelay: delay)
            let inverter = Inverter(link: link, address: 2)
            try await link.open()
            let started = ContinuousClock.now
            for _ in 0..<3 {
                #expect(try await inverter.energy(.day) == bus.snapshot()?.energy[.day])
            }
            #expect(ContinuousClock.now - started >= delay * 3)
        }
    }

    @Test func aDelayLongerThanTheReadTimeoutStillReadsTheReply() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            // The read timeout counts from the end of the delay, not from the request.
            let link = LinkFixtures.link(to: bus, readTimeout: .milliseconds(200), tries: 1, commandDelay: .milliseconds(250))
            let started = ContinuousClock.now
            let status = try await Inverter(link: link, address: 2).status()
            #expect(ContinuousClock.now - started >= .milliseconds(250))
            #expect(status == bus.snapshot()?.status)
        }
    }

    @Test func aSlowInverterIsReadWithinTheTimeout() async throws {
        // 80 ms of latency plus the wire time at 19200 baud, well inside a 300 ms read timeout.
        try await SimulatedBus.withPseudoTerminal(faults: FaultSettings(delay: .milliseconds(80), baud: 19200)) { bus in
            let link = LinkFixtures.link(to: bus)
            let started = ContinuousClock.now
            let total = try await Inverter(link: link, address: 2).energy(.total)
            #expect(ContinuousClock.now - started >= .milliseconds(80))
            #expect(total == bus.snapshot()?.energy[.total])
            #expect(await link.statistics.timeouts == 0)
        }
    }
}

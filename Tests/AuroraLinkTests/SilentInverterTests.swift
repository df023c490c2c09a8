import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("An inverter that does not answer")
struct SilentInverterTests {
    /// 03:00 UTC: dark, the simulated inverter's communication board is off.
    static let night = SimulatedBus.defaultStart - 10 * 3600
    static let timeout: Duration = .milliseconds(200)
    /// Scheduling slack on a busy machine: the whole suite runs in parallel on 2 cores, and a
    /// test waits for a thread of the cooperative pool while others hold it (a fresh clone's
    /// first run was seen 4.3 s late). The bound still tells "gives up after its tries" from
    /// "hangs"; the request counts say it tried exactly as often as it should.
    static let margin: Duration = .seconds(8)

    /// How long `body` takes, and the error it throws.
    private func timed<T>(_ body: () async throws(LinkError) -> T) async -> (Duration, LinkError?) {
        let started = ContinuousClock.now
        let error = await linkError(body)
        return (ContinuousClock.now - started, error)
    }

    @Test func statusGivesUpAfterEveryTryWithNoReply() async throws {
        try await SimulatedBus.withPseudoTerminal(start: Self.night) { bus in
            let link = LinkFixtures.link(to: bus, readTimeout: Self.timeout, tries: 3)
            let (elapsed, error) = await timed { () async throws(LinkError) in try await Inverter(link: link, address: 2).status() }
            #expect(error == .noReply(.state(address: 2), tries: 3, timeout: Self.timeout))
            #expect(elapsed >= Self.timeout * 3)
            #expect(elapsed < Self.timeout * 3 + Self.margin)
            let statistics = await link.statistics
            #expect(statistics.requests == 3 && statistics.timeouts == 3 && statistics.replies == 0)
            #expect(statistics.reopens == 0, "silence is not a reason to cycle the port")
        }
    }

    @Test func readAllStopsAtTheFirstSilentRequest() async throws {
        try await SimulatedBus.withPseudoTerminal(start: Self.night) { bus in
            let link = LinkFixtures.link(to: bus, readTimeout: Self.timeout, tries: 2)
            let (elapsed, error) = await timed { () async throws(LinkError) in try await Inverter(link: link, address: 2).readAll() }
            #expect(error == .noReply(.measure(.gridVoltage, address: 2), tries: 2, timeout: Self.timeout))
            #expect(elapsed < Self.timeout * 2 + Self.margin)
            #expect(await link.statistics.requests == 2, "no other reading was asked for")
        }
    }

    @Test func probeTriesOnce() async throws {
        try await SimulatedBus.withPseudoTerminal(start: Self.night) { bus in
            let link = LinkFixtures.link(to: bus, readTimeout: Self.timeout, tries: 3)
            let inverter = Inverter(link: link, address: 2)
            let (elapsed, error) = await timed { () async throws(LinkError) in try await inverter.probe() }
            #expect(error == .noReply(.state(address: 2), tries: 1, timeout: Self.timeout))
            #expect(elapsed >= Self.timeout && elapsed < Self.timeout + Self.margin)
            #expect(await link.statistics.requests == 1)

            // At dawn a probe gets an answer: Wait sun / grid.
            bus.clock.set(SimulatedBus.defaultStart - 7.2 * 3600)
            await link.close()
            let status = try await Inverter(link: LinkFixtures.link(to: bus), address: 2).probe()
            #expect(status.global.code == 1)
            #expect(status == bus.snapshot()?.status)
        }
    }

    @Test func anAddressNobodyAnswersIsSilentInDaylightToo() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let link = LinkFixtures.link(to: bus, readTimeout: Self.timeout, tries: 2)
            let (elapsed, error) = await timed { () async throws(LinkError) in try await Inverter(link: link, address: 7).readAll() }
            #expect(error == .noReply(.measure(.gridVoltage, address: 7), tries: 2, timeout: Self.timeout))
            #expect(elapsed < Self.timeout * 2 + Self.margin)
            #expect(error?.description.contains("address 7") == true)
        }
    }
}

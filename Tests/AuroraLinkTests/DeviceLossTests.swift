import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("A USB adapter unplugged and plugged back in")
struct DeviceLossTests {
    @Test func transactionsFailFastWhileGoneAndResumeOnTheSameLink() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            // A long read timeout: a transaction that waited on the vanished device would show.
            let link = LinkFixtures.link(to: bus, readTimeout: .seconds(6), reopenBackoff: .milliseconds(50))
            let inverter = Inverter(link: link, address: 2, clock: InverterClock(timeZone: .gmt))
            #expect(try await inverter.status() == bus.snapshot()?.status)

            bus.disconnect()
            // Several transactions while the adapter is gone: each fails at once, none hangs.
            for _ in 0..<5 {
                let started = ContinuousClock.now
                let error = await linkError { () async throws(LinkError) in try await inverter.status() }
                #expect(error?.isDeviceUnavailable == true, "got \(String(describing: error))")
                #expect(ContinuousClock.now - started < .seconds(3), "well under the read timeout")
                #expect(error?.description.contains(bus.linkPath ?? "?") == true)
            }
            let error = await linkError { () async throws(LinkError) in try await inverter.readAll() }
            #expect(error?.isDeviceUnavailable == true)

            try bus.reconnect()
            let status = try await Deadline.wait(for: "the link to reopen the port", timeout: .seconds(5), interval: .milliseconds(20)) {
                try? await inverter.status()
            }
            #expect(status == bus.snapshot()?.status)
            LinkFixtures.expect(try await inverter.readAll(), equals: try #require(bus.snapshot()), clock: inverter.clock)
            #expect(await link.statistics.reopens == 1)
        }
    }

    @Test func aPortThatVanishesBeforeTheFirstOpenIsReportedAsMissing() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let path = try #require(bus.linkPath)
            bus.disconnect()
            let link = LinkFixtures.link(to: bus)
            let error = await linkError { () async throws(LinkError) in try await link.open() }
            guard case .cannotOpen(let port, let reason) = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(port == path)
            #expect(reason.contains("No such file"))
            try bus.reconnect()
            try await Deadline.until("the port to open once the adapter is back", timeout: .seconds(5)) {
                (try? await link.open()) != nil
            }
            #expect(try await Inverter(link: link, address: 2).status() == bus.snapshot()?.status)
        }
    }
}

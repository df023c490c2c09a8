import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// The reply timeout learned from the line: what each fault costs with it, and that a slow
/// gateway and a silent inverter are still told apart from a dropped reply.
@Suite("Learned reply timeout")
struct ReplyTimeoutTests {
    static let clock = InverterClock(timeZone: .gmt)

    /// A gateway whose replies take 60 ± 20 ms: every poll complete and exact, and the learned
    /// timeout above the slowest reply but far below the read timeout.
    @Test func aSlowGatewayTeachesItsLatency() async throws {
        let faults = FaultSettings(delay: .milliseconds(60), delayJitter: .milliseconds(20), seed: 3)
        try await SimulatedBus.withTCP(faults: faults) { bus in
            let link = LinkFixtures.link(to: bus, readTimeout: .seconds(2))
            let inverter = Inverter(link: link, address: 2, clock: Self.clock)
            for _ in 0..<2 {
                LinkFixtures.expect(try await inverter.readAll(), equals: try #require(bus.snapshot(address: 2)), clock: Self.clock)
            }
            let timeout = try #require(await link.statistics.replyTimeouts[2])
            #expect(timeout > .milliseconds(80) && timeout < .seconds(1), "\(timeout)")
            #expect(await link.replyTimeout(for: 2) == timeout)
        }
    }

    /// A dropped reply costs the learned timeout and one probe, not the read timeout: a poll with
    /// several drops ends long before a single read timeout would have passed.
    @Test func droppedRepliesCostTheLearnedTimeout() async throws {
        let faults = FaultSettings(dropRate: 0.15, seed: 17)
        try await SimulatedBus.withPseudoTerminal(faults: faults) { bus in
            let readTimeout = Duration.seconds(5)
            let link = LinkFixtures.link(to: bus, readTimeout: readTimeout)
            let inverter = Inverter(link: link, address: 2, clock: Self.clock)
            _ = try await inverter.status()   // a first clean reply teaches the timer
            let started = ContinuousClock.now
            let poll = try await inverter.readAll()
            let elapsed = ContinuousClock.now - started
            LinkFixtures.expect(poll, equals: try #require(bus.snapshot(address: 2)), clock: Self.clock)
            let statistics = await link.statistics
            #expect(statistics.timeouts >= 2, "the seed drops replies during the poll")
            #expect(elapsed < readTimeout, "each drop cost a learned timeout, not \(readTimeout): \(elapsed) for \(statistics.timeouts)")
        }
    }

    /// A reply with a wrong CRC in its place was that request's answer: the request is retried
    /// at once, with no probe to realign.
    @Test func aWrongCRCInItsPlaceIsRetriedWithoutRealigning() async throws {
        let faults = FaultSettings(crcErrorRate: 0.3, seed: 23)
        try await SimulatedBus.withPseudoTerminal(faults: faults) { bus in
            // No spurious timeout (a loaded machine may delay a reply past a learned one) may
            // realign: the rule for a reply in its place does not depend on the timeout.
            let link = LinkFixtures.link(to: bus, tries: 5, learnsReplyTimeout: false)
            let inverter = Inverter(link: link, address: 2, clock: Self.clock)
            LinkFixtures.expect(try await inverter.readAll(), equals: try #require(bus.snapshot(address: 2)), clock: Self.clock)
            let statistics = await link.statistics
            #expect(statistics.crcErrors > 0)
            #expect(statistics.realignments == 0 && statistics.requests == statistics.replies + statistics.crcErrors)
        }
    }

    /// An inverter that answered quickly and then fell asleep is not given up on after a few
    /// short waits: the silent waits add up to the tries times the read timeout, as before.
    @Test func aSilentInverterStillGetsItsReadTimeouts() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let readTimeout = Duration.seconds(1)
            let link = LinkFixtures.link(to: bus, readTimeout: readTimeout, tries: 2)
            let inverter = Inverter(link: link, address: 2, clock: Self.clock)
            for _ in 0..<5 { _ = try await inverter.status() }
            #expect(await link.replyTimeout(for: 2) < readTimeout / 2, "learned from quick replies")
            bus.clock.set(SimulatedBus.defaultStart - 10 * 3600)   // 03:00: dark
            let started = ContinuousClock.now
            let error = await linkError { () async throws(LinkError) in try await inverter.status() }
            #expect(error == .noReply(.state(address: 2), tries: 2, timeout: readTimeout))
            #expect(ContinuousClock.now - started >= readTimeout * 2)
        }
    }
}

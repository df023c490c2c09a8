import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Polling through a noisy line")
struct FaultToleranceTests {
    /// 10 % bad CRCs, 10 % dropped replies, 10 % garbage (stray bytes before the reply, or a reply
    /// cut short), always the same faults for the same requests.
    static let noisy = FaultSettings(crcErrorRate: 0.1, dropRate: 0.1, garbageRate: 0.1, seed: 20260621)
    /// Full polls in a row (32 transactions each, retries not counted).
    static let polls = 4

    @Test func pollsStayExactAndEveryInjectedFaultIsCounted() async throws {
        try await SimulatedBus.withPseudoTerminal(faults: Self.noisy) { bus in
            // A fixed read timeout that a loaded machine's scheduling never reaches for a reply
            // that was sent: only the dropped ones time out.
            let link = LinkFixtures.link(to: bus, readTimeout: .milliseconds(600), tries: 5, learnsReplyTimeout: false)
            let clock = InverterClock(timeZone: .gmt)
            let inverter = Inverter(link: link, address: 2, clock: clock)
            let expected = try #require(bus.snapshot(address: 2))
            for _ in 0..<Self.polls {
                LinkFixtures.expect(try await inverter.readAll(), equals: expected, clock: clock)
            }

            let log = bus.simulator.servedLog
            func count(_ matches: (InjectedFault) -> Bool) -> Int {
                log.count { $0.fault.map(matches) ?? false }
            }
            let dropped = count { $0 == .dropped }
            let corrupted = count { $0 == .corruptedCRC }
            let prefixed = count { if case .garbageBefore = $0 { true } else { false } }
            let truncated = count { if case .truncated = $0 { true } else { false } }
            // The seed gives a mix of every fault kind.
            #expect(dropped > 0 && corrupted > 0 && prefixed > 0 && truncated > 0)

            let statistics = await link.statistics
            // Probes and identity reads after a fault are requests too; their replies are not
            // the caller's.
            #expect(statistics.requests == log.count)
            #expect(statistics.replies == Self.polls * 32)
            #expect(statistics.realignments > 0)
            #expect(statistics.timeouts == dropped)
            #expect(statistics.crcErrors == corrupted)
            #expect(statistics.shortReplies == truncated)
            // A whole reply behind stray bytes while realigning is scanned, not counted.
            #expect(statistics.resynchronisations > 0 && statistics.resynchronisations <= prefixed)
            #expect(statistics.refusals == 0)
        }
    }

    @Test func strayBytesBeforeAReplyAreSkipped() async throws {
        try await SimulatedBus.withPseudoTerminal(faults: FaultSettings(garbageRate: 1, seed: 7)) { bus in
            let link = LinkFixtures.link(to: bus, readTimeout: .milliseconds(150))
            let inverter = Inverter(link: link, address: 2)
            let expected = try #require(bus.snapshot(address: 2)?.energy[.total])
            var read = 0
            // Half the garbage cases cut the reply short; collect a few that arrive whole.
            for _ in 0..<5 {
                if let value = try? await inverter.energy(.total) {
                    #expect(value == expected)
                    read += 1
                }
            }
            let statistics = await link.statistics
            #expect(read > 0)
            // Identity reads learning known answers after the first fault are resynchronised too.
            #expect(statistics.resynchronisations >= statistics.replies)
            #expect(statistics.resynchronisations > 0 && statistics.shortReplies > 0)
        }
    }

    @Test func repeatedBadRepliesReopenThePortAndAreReportedAsBad() async throws {
        try await SimulatedBus.withPseudoTerminal(faults: FaultSettings(crcErrorRate: 1)) { bus in
            // A long read timeout, so that waiting it out on every try (15 s) is told apart from
            // a loaded machine's slowness (seconds at most).
            let readTimeout = Duration.seconds(5)
            let link = LinkFixtures.link(to: bus, readTimeout: readTimeout, tries: 3, learnsReplyTimeout: false)
            let started = ContinuousClock.now
            let error = await linkError { () async throws(LinkError) in try await Inverter(link: link, address: 2).energy(.day) }
            let elapsed = ContinuousClock.now - started
            guard case .badReply(let request, let tries, let lastProblem) = error else {
                Issue.record("expected a bad reply, got \(String(describing: error))")
                return
            }
            #expect(request == .energy(.day, address: 2) && tries == 3)
            #expect(lastProblem.contains("CRC"))
            #expect(error?.description.contains("wiring") == true)
            // Bad replies arrive at once: the read timeout is not waited out on every try.
            #expect(elapsed < readTimeout * 2, "\(elapsed)")
            let statistics = await link.statistics
            #expect(statistics.crcErrors == 3 && statistics.timeouts == 0)
            #expect(statistics.reopens == 1, "the port is cycled after two bad replies in a row")
            // The link still works once the line is clean again.
            try bus.setFaults(.none)
            #expect(try await Inverter(link: link, address: 2).energy(.day) == bus.snapshot()?.energy[.day])
        }
    }
}

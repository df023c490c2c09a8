import AuroraLink
import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

@testable import AuroraBridge

/// The stats service on a stepping clock, publishing to an in-memory output.
@Suite struct StatsServiceTests {
    private func stats(_ fixture: ServiceFixture) throws -> [[String: Any]] {
        try fixture.messages(on: "aurora/bridge/stats").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.text.utf8)) as? [String: Any])
        }
    }

    @Test func statsGoOutEveryIntervalOnTheMonotonicClockWithTheCounters() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try ServiceFixture()
            let (archive, _, outbox) = try await fixture.archive(in: folder)
            let clock = HorizonClock(start: 1_782_000_000, horizon: 1_782_000_000 + 200)
            clock.step(by: -7_200)  // a step of the wall clock changes nothing
            fixture.counters.withLock {
                $0.pollsOK = 5
                $0.lastPollDuration = 0.1234
            }
            let busUtilization = Locked<FieldValue?>(nil)
            let service = StatsService(
                interval: 60, clock: clock, started: clock.monotonicNow() - 10, publisher: fixture.publisher,
                link: Link(configuration: fixture.configuration.linkConfiguration), inverters: [2: "inverter"],
                archive: archive, outbox: outbox, counters: fixture.counters, busUtilization: busUtilization)
            try await withRunning(service) {
                try await Deadline.until("three stats", timeout: .seconds(60)) { fixture.messages(on: "aurora/bridge/stats").count >= 3 }
            }
            let published = try stats(fixture)
            #expect(published.count == 3)
            #expect(published.map { $0["uptime"] as? Int } == [70, 130, 190])
            #expect(published[0]["pollsOk"] as? Int == 5)
            #expect(published[0]["lastPollDuration"] as? Double == 0.123)
            #expect(published[0]["archiveBacklog"] as? Int == 0)
            #expect(published[0]["busUtilization"] as? Double == 0)
            #expect(busUtilization.value != nil, "kept for the status page")
            #expect(fixture.messages(on: "aurora/bridge/stats").allSatisfy { $0.qos == .atMostOnce && !$0.retain })
        }
    }

    @Test func nothingIsPublishedWhileDisconnected() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try ServiceFixture(output: InMemoryOutput(connected: false))
            let (archive, _, outbox) = try await fixture.archive(in: folder)
            let clock = HorizonClock(start: 1_782_000_000, horizon: 1_782_000_000 + 120)
            let service = StatsService(
                interval: 60, clock: clock, started: clock.monotonicNow(), publisher: fixture.publisher,
                link: Link(configuration: fixture.configuration.linkConfiguration), inverters: [:],
                archive: archive, outbox: outbox, counters: fixture.counters, busUtilization: Locked(nil))
            try await withRunning(service) {
                try await Deadline.until("a few intervals", timeout: .seconds(60)) { clock.isParked }
            }
            #expect(fixture.output.messages.isEmpty)
        }
    }

    @Test func busUtilizationIsTheBusyShareToThreeDecimalsWithinZeroAndOne() {
        #expect(StatsService.utilization(busySeconds: 1, over: 3) == .double(0.333))
        #expect(StatsService.utilization(busySeconds: 5, over: 3) == .double(1))
        #expect(StatsService.utilization(busySeconds: -1, over: 3) == .double(0))
        #expect(StatsService.utilization(busySeconds: 1, over: 0) == nil)
    }
}

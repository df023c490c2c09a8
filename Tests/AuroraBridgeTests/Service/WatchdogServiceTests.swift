import AuroraTestSupport
import Mosquitto
import Testing

@testable import AuroraBridge

/// The watchdog's pings on a stepping clock.
@Suite struct WatchdogServiceTests {
    private let start = 1_782_000_000.0

    private func service(
        _ fixture: ServiceFixture, clock: HorizonClock, progress: BridgeProgress, pings: Locked<[Double]>, patience: Double = 100
    ) -> WatchdogService {
        WatchdogService(
            interval: .seconds(10), clock: clock, progress: progress,
            health: BridgeHealth(pollerPatience: patience, maxDisconnected: .seconds(600)), client: fixture.output,
            ping: { pings.withLock { $0.append(clock.monotonicNow()) } }, logger: fixture.logger)
    }

    @Test func aHealthyBridgePingsEveryIntervalOnTheMonotonicClock() async throws {
        let fixture = try ServiceFixture()
        let clock = HorizonClock(start: start, horizon: start + 55)
        let progress = fixture.progress(now: start)
        let pings = Locked<[Double]>([])
        try await withRunning(service(fixture, clock: clock, progress: progress, pings: pings)) {
            try await Deadline.until("five pings", timeout: .seconds(60)) { pings.value.count >= 5 }
        }
        #expect(pings.value == [10, 20, 30, 40, 50].map { start + $0 })
    }

    @Test func aStalledPollerStopsThePingsAndProgressBringsThemBack() async throws {
        let fixture = try ServiceFixture()
        let clock = HorizonClock(start: start, horizon: start + 35)
        let progress = fixture.progress(now: start)
        let pings = Locked<[Double]>([])
        try await withRunning(service(fixture, clock: clock, progress: progress, pings: pings, patience: 30)) {
            try await Deadline.until("the patience to run out", timeout: .seconds(60)) { clock.isParked }
            #expect(pings.value == [start + 10, start + 20], "no ping once the poller made no progress for 30 s")
            progress.pollerProgressed(at: clock.monotonicNow())
            clock.extend(to: start + 40)
            try await Deadline.until("a ping again", timeout: .seconds(60)) { pings.value.count > 2 }
            #expect(pings.value.last == start + 40)
        }
    }

    @Test func anEndedMQTTNetworkThreadStopsThePings() async throws {
        let fixture = try ServiceFixture()
        fixture.output.health = MosquittoHealth(loop: .ended)
        let clock = HorizonClock(start: start, horizon: start + 50)
        let progress = fixture.progress(now: start)
        let pings = Locked<[Double]>([])
        try await withRunning(service(fixture, clock: clock, progress: progress, pings: pings)) {
            try await Deadline.until("a few intervals", timeout: .seconds(60)) { clock.isParked }
        }
        #expect(pings.value.isEmpty)
    }
}

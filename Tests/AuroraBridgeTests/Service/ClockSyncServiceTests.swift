import AuroraTestSupport
import Testing

@testable import AuroraBridge

/// Daily clock sync on a stepping clock, with a stand-in for the poller.
@Suite struct ClockSyncServiceTests {
    private let start = 1_782_000_000.0
    private let configuration = """
        [bus]
        port = "/dev/ttyUSB0"

        [[inverter]]
        name = "roof"
        address = 2
        clock_sync = "daily"
        clock_tolerance = 20

        [[inverter]]
        name = "garage"
        address = 3
        poll_interval = 120
        clock_sync = "daily"

        [[inverter]]
        name = "shed"
        address = 4
        """

    private func service(_ fixture: ServiceFixture, requests: PollerRequests, clock: HorizonClock) -> ClockSyncService {
        ClockSyncService(
            inverters: ClockSyncService.kept(fixture.configuration).filter { $0.name == "roof" }, requests: requests, clock: clock,
            hostClock: { HostClockState(synchronised: true, source: "test") }, output: fixture.output, qos: .atLeastOnce,
            logger: fixture.logger)
    }

    @Test func theInvertersWithDailySyncAreKeptWithTheirToleranceAndRetry() throws {
        let kept = ClockSyncService.kept(try parse(configuration))
        #expect(kept.map(\.name) == ["roof", "garage"])
        #expect(kept.map(\.tolerance) == [20, 30])
        #expect(kept.map(\.retry) == [60, 120], "the retry interval, or the poll interval if longer")
        #expect(kept.first?.resultTopic == "aurora/roof/command/result")
    }

    @Test func aComparedClockIsComparedAgainADayLaterOnTheMonotonicClock() async throws {
        let fixture = try ServiceFixture.parsing(configuration)
        let clock = HorizonClock(start: start, horizon: start + 2 * 86_400 + 100)
        let answerer = RequestAnswerer()
        let poller = Task { await answerer.serve(clock: clock) { request, count in
            if count == 1 { clock.step(by: -3_600) }  // NTP steps the host clock back: no second comparison early
            return CommandResult(command: "clock_sync", inverter: request.inverter, ok: true, message: "within tolerance", clockErrorBefore: 2)
        } }
        defer { poller.cancel() }
        try await withRunning(service(fixture, requests: answerer.requests, clock: clock)) {
            try await Deadline.until("three comparisons", timeout: .seconds(60)) { answerer.answered.count >= 3 }
        }
        #expect(answerer.answered.map(\.at) == [start, start + 86_400, start + 2 * 86_400])
        #expect(answerer.answered.first?.kind == .syncClock(tolerance: 20, host: HostClockState(synchronised: true, source: "test")))
        #expect(fixture.output.messages.isEmpty, "nothing to report within the tolerance")
    }

    @Test func anInverterNotComparedIsAskedAgainAfterTheRetryInterval() async throws {
        let fixture = try ServiceFixture.parsing(configuration)
        let clock = HorizonClock(start: start, horizon: start + 86_400 + 100)
        let answerer = RequestAnswerer()
        let poller = Task { await answerer.serve(clock: clock) { request, count in
            count == 1
                ? CommandResult(command: "clock_sync", inverter: request.inverter, ok: false, message: "the inverter is asleep")
                : CommandResult(command: "clock_sync", inverter: request.inverter, ok: true, message: "ok", clockErrorBefore: 1)
        } }
        defer { poller.cancel() }
        try await withRunning(service(fixture, requests: answerer.requests, clock: clock)) {
            try await Deadline.until("three requests", timeout: .seconds(60)) { answerer.answered.count >= 3 }
        }
        #expect(answerer.answered.map(\.at) == [start, start + 60, start + 60 + 86_400])
    }

    @Test func aCorrectionIsPublishedOnTheInvertersResultTopic() async throws {
        let fixture = try ServiceFixture.parsing(configuration)
        let clock = HorizonClock(start: start, horizon: start + 10)
        let answerer = RequestAnswerer()
        let poller = Task { await answerer.serve(clock: clock) { request, _ in
            CommandResult(command: "clock_sync", inverter: request.inverter, ok: true, message: "set", clockErrorBefore: 95, clockErrorAfter: 0)
        } }
        defer { poller.cancel() }
        try await withRunning(service(fixture, requests: answerer.requests, clock: clock)) {
            try await Deadline.until("the correction", timeout: .seconds(60)) { !fixture.messages(on: "aurora/roof/command/result").isEmpty }
        }
        let result = try #require(fixture.messages(on: "aurora/roof/command/result").first)
        #expect(!result.retain)
        #expect(result.text.contains(#""clockErrorBefore":95,"clockErrorAfter":0"#))
    }
}

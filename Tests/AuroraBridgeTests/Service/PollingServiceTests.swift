import AuroraLink
import AuroraTestSupport
import Testing

@testable import AuroraBridge

/// The poller as a service, with a scripted inverter on a stepping clock.
@Suite struct PollingServiceTests {
    @Test func itPollsUntilTheShutdownThenRefusesRequests() async throws {
        let clock = HorizonClock(start: 1_782_000_000, horizon: 1_782_000_000 + 25)
        let inverter = ScriptedInverter(clock: clock)
        inverter.state.withLock { $0.awake = true }
        let log = EventLog()
        var poller = Poller(
            inverters: [PolledInverter(name: "roof", client: inverter, pollInterval: 10)], maxProbeInterval: 80, clock: clock, sink: log)
        let requests = PollerRequests()
        poller.requests = requests
        let configuration = try parse(minimalConfig)
        let link = Link(configuration: configuration.linkConfiguration)
        try await withRunning(PollingService(poller: poller, link: link)) {
            try await Deadline.until("three packets", timeout: .seconds(60)) { log.packets.count >= 3 }
        }
        let polled = inverter.state.withLock { $0.reads }
        let refused = await requests.submit(.read, inverter: "roof")
        #expect(!refused.ok)
        #expect(refused.message == "the bridge is stopping")
        #expect(inverter.state.withLock { $0.reads } == polled, "no poll after the stop")
    }
}

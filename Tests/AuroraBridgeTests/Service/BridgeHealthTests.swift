import Testing

@testable import AuroraBridge

struct BridgeHealthTests {
    @Test func aPollerWithinItsPatienceIsHealthy() {
        let health = BridgeHealth(pollerPatience: 100)
        #expect(health.problem(now: 1_099, lastPollerProgress: 1_000) == nil)
    }

    @Test func aPollerPastItsPatienceIsAProblem() {
        let health = BridgeHealth(pollerPatience: 100)
        #expect(health.problem(now: 1_100, lastPollerProgress: 1_000) == "the poller made no progress for 100 s")
    }

    @Test func patienceCoversTheLongestWaitTwiceAndTheSlowestPoll() throws {
        let configuration = try BridgeConfiguration.parse(
            """
            [bus]
            port = "/dev/null"
            read_timeout = 0.5
            max_tries = 2
            probe_max = 300
            [[inverter]]
            name = "roof"
            address = 2
            poll_interval = 10
            """, file: "test.conf", environment: [:])
        let expected: Double = 300 * 2 + 0.5 * 2 * 40
        #expect(BridgeHealth(configuration: configuration).pollerPatience == expected)
    }
}

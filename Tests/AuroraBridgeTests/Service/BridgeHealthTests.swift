import Mosquitto
import Testing

@testable import AuroraBridge

struct BridgeHealthTests {
    let health = BridgeHealth(pollerPatience: 100, maxDisconnected: .seconds(600))
    let connected = MosquittoHealth(loop: .running, lastLoopActivity: .now)

    @Test func aPollerWithinItsPatienceIsHealthy() {
        #expect(health.problem(now: 1_099, lastPollerProgress: 1_000, mqtt: connected, mqttNow: .now) == nil)
    }

    @Test func aPollerPastItsPatienceIsAProblem() {
        #expect(health.problem(now: 1_100, lastPollerProgress: 1_000, mqtt: connected, mqttNow: .now) == "the poller made no progress for 100 s")
    }

    @Test func anEndedMQTTLoopIsAProblemEvenWhileThePollerIsFine() {
        let ended = MosquittoHealth(loop: .ended)
        #expect(health.problem(now: 1_000, lastPollerProgress: 1_000, mqtt: ended, mqttNow: .now) == "the MQTT network thread has ended")
    }

    @Test func beingDisconnectedLongerThanMaxDisconnectedWhileReconnectsFailIsAProblem() {
        let now = ContinuousClock.now
        let failing = MosquittoHealth(loop: .running, lastLoopActivity: now, disconnectedSince: now - .seconds(601), consecutiveFailures: 12)
        #expect(health.problem(now: 1_000, lastPollerProgress: 1_000, mqtt: failing, mqttNow: now)?.hasPrefix("disconnected from the broker") == true)
        let recent = MosquittoHealth(loop: .running, lastLoopActivity: now, disconnectedSince: now - .seconds(599), consecutiveFailures: 12)
        #expect(health.problem(now: 1_000, lastPollerProgress: 1_000, mqtt: recent, mqttNow: now) == nil)
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

import Mosquitto
import Testing

@Suite("Health, back-off and problem reports (pure)")
struct HealthTests {
    private let start = ContinuousClock.now

    @Test func aClientNotStartedOrConnectedNeedsNothing() {
        #expect(MosquittoHealth().problem(at: start.advanced(by: .seconds(9999)), maxDisconnected: .seconds(1)) == nil)
        let connected = MosquittoHealth(loop: .running, lastLoopActivity: start)
        #expect(connected.problem(at: start.advanced(by: .seconds(30)), maxDisconnected: .seconds(1)) == nil)
    }

    @Test func anEndedOrStuckLoopIsAProblem() {
        #expect(MosquittoHealth(loop: .ended).problem(at: start, maxDisconnected: .seconds(600)) == .loopEnded)
        let stuck = MosquittoHealth(loop: .running, lastLoopActivity: start)
        let later = start.advanced(by: .seconds(61))
        #expect(stuck.problem(at: later, maxDisconnected: .seconds(600)) == .loopStalled(for: .seconds(61)))
        #expect(stuck.problem(at: later, maxDisconnected: .seconds(600), maxLoopSilence: .seconds(120)) == nil)
    }

    @Test func disconnectedTooLongCountsOnlyWhileAttemptsFail() {
        let now = start.advanced(by: .seconds(601))
        var health = MosquittoHealth(loop: .running, lastLoopActivity: now, disconnectedSince: start, consecutiveFailures: 7)
        #expect(health.problem(at: now, maxDisconnected: .seconds(600)) == .disconnectedTooLong(for: .seconds(601), failures: 7))
        #expect(health.problem(at: now, maxDisconnected: .seconds(700)) == nil)
        health.consecutiveFailures = 0  // the first attempt is still under way
        #expect(health.problem(at: now, maxDisconnected: .seconds(600)) == nil)
    }

    @Test func backOffGrowsQuadraticallyToTheCap() {
        let policy = ReconnectPolicy(minimumDelay: .seconds(1), maximumDelay: .seconds(30))
        #expect((1...7).map(policy.delay(afterFailures:)) == [1, 4, 9, 16, 25, 30, 30].map { .seconds($0) })
        #expect(policy.delay(afterFailures: 0) == .seconds(1))
        #expect(policy.delay(afterFailures: .max) == .seconds(30))
        let linear = ReconnectPolicy(minimumDelay: .milliseconds(200), maximumDelay: .seconds(1), exponentialBackoff: false)
        #expect((1...6).map(linear.delay(afterFailures:)) == [200, 400, 600, 800, 1000, 1000].map { .milliseconds($0) })
        #expect(policy.stablePeriod == .seconds(30))
    }

    private let refusal = MosquittoError(code: .connectionRefused, operation: "connect", reasonCode: .notAuthorizedV5)
    private let lost = MosquittoError(code: .connectionLost, operation: "connection")

    @Test func eachProblemIsReportedOncePerEpisode() {
        var filter = ConnectionProblemFilter()
        let afterRefusal = MosquittoError(code: .protocolError, operation: "connection")
        let reports = [
            MosquittoEvent.connectionRefused(refusal), .disconnected(.unexpected(afterRefusal)),
            .connectionRefused(refusal), .disconnected(.unexpected(afterRefusal)),
            .disconnected(.unexpected(lost)), .disconnected(.unexpected(lost)),
            .connected(ConnectionAcknowledgement()),
            .connectionRefused(refusal), .disconnected(.requested),
        ].map { filter.report(for: $0) }
        #expect(reports == [
            .refused(refusal), nil,
            nil, nil,
            .lost(.unexpected(lost)), nil,
            nil,
            .refused(refusal), nil,
        ])
    }

    @Test func aDifferentReasonInTheSameEpisodeIsReported() {
        var filter = ConnectionProblemFilter()
        let badPassword = MosquittoError(code: .connectionRefused, operation: "connect", reasonCode: .badCredentialsV5)
        #expect(filter.report(for: .connectionRefused(refusal)) == .refused(refusal))
        #expect(filter.report(for: .connectionRefused(badPassword)) == .refused(badPassword))
        #expect(filter.report(for: .connectionRefused(refusal)) == nil)
    }
}

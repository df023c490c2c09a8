import AuroraProtocol
import AuroraSimulator
import Testing

/// `FaultSettings.delayJitter`: each reply's delay drawn around the mean, from the seed.
@Suite("Latency jitter")
struct LatencyJitterTests {
    typealias F = Fixtures
    let count = 2000

    /// The delays of `count` replies to one request.
    private func delays(_ faults: FaultSettings) throws -> [Duration] {
        let (simulator, _) = try F.simulator(faults: faults)
        let request = Request.measure(.gridVoltage, address: 2).bytes
        return (0..<count).compactMap { _ in simulator.respond(to: request)?.delay }
    }

    @Test func delaysSpreadEvenlyOverTheMeanPlusOrMinusTheJitter() throws {
        let delays = try delays(FaultSettings(delay: .milliseconds(300), delayJitter: .milliseconds(100), seed: 3))
        #expect(delays.count == count)
        #expect(delays.allSatisfy { $0 >= .milliseconds(200) && $0 <= .milliseconds(400) })
        let quarters = Dictionary(grouping: delays) { min(3, Int(($0 - .milliseconds(200)) / .milliseconds(50))) }
        for quarter in 0..<4 {
            let share = Double(quarters[quarter]?.count ?? 0) / Double(count)
            #expect(abs(share - 0.25) < 0.04, "quarter \(quarter) of the range holds \(share)")
        }
    }

    @Test func theSameSeedGivesTheSameDelays() throws {
        let faults = FaultSettings(delay: .milliseconds(300), delayJitter: .milliseconds(100), seed: 8)
        #expect(try delays(faults) == delays(faults))
        var other = faults
        other.seed = 9
        #expect(try delays(other) != delays(faults))
    }

    /// The jitter moves the delay alone: it never goes below zero, and the wire time and the late
    /// delay come on top.
    @Test func aJitterBeyondTheMeanStopsAtZeroBeforeWireTimeAndLateness() throws {
        let late: Duration = .seconds(1)
        let floor = late + FaultSettings(baud: 19_200).replyDelay
        let faults = FaultSettings(
            delay: .milliseconds(10), delayJitter: .milliseconds(50), baud: 19_200, lateRate: 1, lateDelay: late)
        let delays = try delays(faults)
        #expect(delays.allSatisfy { $0 >= floor && $0 <= floor + .milliseconds(60) })
        let stopped = Double(delays.count { $0 == floor }) / Double(count)
        #expect(abs(stopped - 0.4) < 0.04, "the draws from -50 to -10 ms all stop at zero: \(stopped)")
    }

    @Test func noJitterKeepsTheFaultsOfASeed() throws {
        let old = FaultSettings(
            crcErrorRate: 0.1, dropRate: 0.1, garbageRate: 0.1, seed: 42, lateRate: 0.1, lateDelay: .seconds(1))
        var slower = old
        slower.delay = .milliseconds(300)
        slower.delayJitter = .zero
        let (first, _) = try F.simulator(faults: old)
        let (second, _) = try F.simulator(faults: slower)
        let request = Request.state(address: 2).bytes
        for _ in 0..<500 {
            let (before, after) = (first.respond(to: request), second.respond(to: request))
            #expect(before?.bytes == after?.bytes)
            #expect(before.map { $0.delay + .milliseconds(300) } == after?.delay)
        }
        #expect(first.servedLog == second.servedLog)
    }

    @Test func aNegativeJitterIsRefusedNamingTheSetting() {
        #expect(throws: SimulatorError.invalidSetting("the reply delay jitter must not be negative")) {
            try FaultSettings(delayJitter: .milliseconds(-1)).validate()
        }
    }
}

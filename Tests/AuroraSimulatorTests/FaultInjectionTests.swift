import AuroraProtocol
import AuroraSimulator
import Testing

@Suite("Fault injection")
struct FaultInjectionTests {
    typealias F = Fixtures
    let requests = 4000

    private func outcomes(_ faults: FaultSettings) throws -> (transmissions: [Transmission?], log: [ServedReply]) {
        let (simulator, _) = try F.simulator(faults: faults)
        let request = Request.measure(.gridVoltage, address: 2).bytes
        let transmissions = (0..<requests).map { _ in simulator.respond(to: request) }
        return (transmissions, simulator.servedLog)
    }

    private func share(_ count: Int) -> Double { Double(count) / Double(requests) }

    @Test(arguments: [0.0, 0.1, 0.5, 1.0])
    func dropRateDropsThatShare(rate: Double) throws {
        let (transmissions, log) = try outcomes(FaultSettings(dropRate: rate, seed: 7))
        let dropped = transmissions.filter { $0 == nil }.count
        #expect(abs(share(dropped) - rate) < 0.03)
        #expect(log.filter { $0.fault == .dropped }.count == dropped)
    }

    @Test func crcErrorRateCorruptsThatShare() throws {
        let (transmissions, log) = try outcomes(FaultSettings(crcErrorRate: 0.2, seed: 11))
        let corrupted = transmissions.compactMap { $0 }.filter { !CRC16.isValid(frame: $0.bytes) }
        #expect(abs(share(corrupted.count) - 0.2) < 0.03)
        #expect(corrupted.allSatisfy { $0.bytes.count == 8 })
        #expect(log.filter { $0.fault == .corruptedCRC }.count == corrupted.count)
    }

    @Test func garbageRateAddsStrayBytesOrCutsReplies() throws {
        let (transmissions, log) = try outcomes(FaultSettings(garbageRate: 0.3, seed: 3))
        let clean = transmissions.compactMap { $0 }.filter { $0.bytes.count == 8 && CRC16.isValid(frame: $0.bytes) }
        #expect(abs(share(requests - clean.count) - 0.3) < 0.03)
        for served in log {
            switch served.fault {
            case .garbageBefore(let count): #expect((1...3).contains(count) && served.arrivedIntact)
            case .truncated(let count): #expect((1...7).contains(count) && !served.arrivedIntact)
            case nil: continue
            default: Issue.record("unexpected fault \(String(describing: served.fault))")
            }
        }
        let withGarbage = zip(transmissions, log).filter {
            if case .garbageBefore = $0.1.fault { return true }
            return false
        }
        #expect(!withGarbage.isEmpty)
        for (transmission, served) in withGarbage {
            #expect(Array(transmission?.bytes.suffix(8) ?? []) == served.response.bytes, "the whole reply follows the garbage")
        }
    }

    @Test func glitchRateZeroesThatShareOfEnergyCountersWithAValidCRC() throws {
        var faults = FaultSettings(seed: 5)
        faults.glitchRate = 0.2
        let (simulator, _) = try F.simulator(faults: faults)
        let request = Request.energy(.total, address: 2).bytes
        let replies = (0..<requests).compactMap { _ in simulator.respond(to: request)?.bytes }
        #expect(replies.count == requests && replies.allSatisfy { CRC16.isValid(frame: $0) && $0[0] == 0 })
        let zeroes = replies.filter { $0.replyUInt32 == 0 }.count
        #expect(abs(share(zeroes) - 0.2) < 0.03)
        #expect(replies.allSatisfy { $0.replyUInt32 == 0 || $0.replyUInt32 > 18_000_000 })
        // Measures are never zeroed.
        let measure = Request.measure(.gridVoltage, address: 2).bytes
        #expect((0..<200).allSatisfy { _ in simulator.respond(to: measure)?.bytes.replyFloat ?? 0 > 100 })
    }

    @Test func nanMeasureAnswersNaNWithAValidCRCAndOnlyForThatMeasure() throws {
        var faults = FaultSettings()
        faults.nanMeasure = MeasureType.gridPower.rawValue
        let (simulator, _) = try F.simulator(faults: faults)
        let power = try #require(simulator.respond(to: Request.measure(.gridPower, address: 2).bytes))
        #expect(CRC16.isValid(frame: power.bytes) && power.bytes[0] == 0 && power.bytes.replyFloat.isNaN)
        let voltage = try #require(simulator.respond(to: Request.measure(.gridVoltage, address: 2).bytes))
        #expect(voltage.bytes.replyFloat.isFinite)
    }

    @Test func aGlitchRateOutOfRangeIsRefused() {
        var faults = FaultSettings()
        faults.glitchRate = 1.5
        #expect(throws: SimulatorError.self) { try faults.validate() }
    }

    @Test func theSameSeedGivesTheSameFaults() throws {
        let faults = FaultSettings(crcErrorRate: 0.1, dropRate: 0.1, garbageRate: 0.1, seed: 42)
        let first = try outcomes(faults).transmissions
        let second = try outcomes(faults).transmissions
        #expect(first == second)
        var other = faults
        other.seed = 43
        #expect(try outcomes(other).transmissions != first)
    }

    @Test func settingFaultsRestartsTheGenerator() throws {
        let faults = FaultSettings(dropRate: 0.5, seed: 5)
        let (simulator, _) = try F.simulator(faults: faults)
        let request = Request.state(address: 2).bytes
        let first = (0..<50).map { _ in simulator.respond(to: request) == nil }
        try simulator.setFaults(faults)
        let second = (0..<50).map { _ in simulator.respond(to: request) == nil }
        #expect(first == second)
        #expect(throws: SimulatorError.self) { try simulator.setFaults(FaultSettings(garbageRate: -0.1)) }
    }

    @Test func delayAndBaudAddUp() throws {
        #expect(FaultSettings(baud: 19_200).replyDelay == .microseconds(9375))
        #expect(FaultSettings(delay: .milliseconds(50), baud: 9600).replyDelay == .microseconds(50_000 + 18_750))
        let (simulator, _) = try F.simulator(faults: FaultSettings(delay: .milliseconds(20)))
        #expect(simulator.respond(to: Request.state(address: 2).bytes)?.delay == .milliseconds(20))
    }

    @Test func lastServedSkipsRepliesThatDidNotArriveWhole() throws {
        let (simulator, clock) = try F.simulator()
        let request = Request.measure(.gridPower, address: 2)
        _ = simulator.respond(to: request.bytes)
        let good = try #require(simulator.lastServed(request))
        try simulator.setFaults(FaultSettings(dropRate: 1))
        clock.advance(by: -7200)
        #expect(simulator.respond(to: request.bytes) == nil)
        #expect(simulator.lastServed(request) == good)
        #expect(simulator.servedLog.last?.fault == .dropped)
    }
}

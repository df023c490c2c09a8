import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Late replies")
struct LateReplyTests {
    typealias F = Fixtures

    @Test func lateRateHoldsThatShareOfRepliesLonger() throws {
        let faults = FaultSettings(delay: .milliseconds(5), seed: 9, lateRate: 0.25, lateDelay: .milliseconds(700))
        let (simulator, _) = try F.simulator(faults: faults)
        let request = Request.measure(.gridVoltage, address: 2).bytes
        let transmissions = (0..<4000).compactMap { _ in simulator.respond(to: request) }
        let late = transmissions.filter { $0.delay == .milliseconds(705) }
        #expect(transmissions.count == 4000, "a late reply is still sent")
        #expect(transmissions.allSatisfy { $0.delay == .milliseconds(5) || $0.delay == .milliseconds(705) })
        #expect(abs(Double(late.count) / 4000 - 0.25) < 0.03)
        let logged = simulator.servedLog.filter { $0.fault == .late(by: .milliseconds(700)) }
        #expect(logged.count == late.count)
        #expect(logged.allSatisfy { $0.arrivedIntact }, "a late reply reaches the wire whole")
    }

    @Test func noLateRateKeepsTheFaultsOfASeed() throws {
        let old = FaultSettings(crcErrorRate: 0.1, dropRate: 0.1, garbageRate: 0.1, seed: 42)
        var withLateDelayOnly = old
        withLateDelayOnly.lateDelay = .seconds(3)
        let request = Request.state(address: 2).bytes
        let (first, _) = try F.simulator(faults: old)
        let (second, _) = try F.simulator(faults: withLateDelayOnly)
        #expect((0..<500).map { _ in first.respond(to: request) } == (0..<500).map { _ in second.respond(to: request) })
        #expect(throws: SimulatorError.self) { try first.setFaults(FaultSettings(lateRate: 1.5)) }
        #expect(throws: SimulatorError.self) { try first.setFaults(FaultSettings(lateDelay: .milliseconds(-1))) }
    }

    /// The held reply holds back the later replies of its address, as an inverter answers one
    /// request after another: a request to it sent meanwhile is not lost but answered after it,
    /// in order.
    @Test(arguments: [false, true])
    func requestsSentDuringALateReplyAreAnsweredAfterIt(overTCP: Bool) async throws {
        let faults = FaultSettings(lateRate: 1, lateDelay: .milliseconds(400))
        let body: (SimulatedBus) async throws -> Void = { bus in
            let (replies, elapsed) = try await Blocking.run {
                let port = try overTCP ? RawPort.connect(port: bus.port ?? 0) : RawPort.openSerial(bus.linkPath ?? "")
                defer { port.close() }
                let started = ContinuousClock.now
                try port.send(Request(address: 2, command: .serialNumber).bytes)
                try port.send(Request(address: 2, command: .partNumber).bytes)
                let replies = try port.receive(2 * Response.length, timeout: .seconds(10))
                return (replies, ContinuousClock.now - started)
            }
            let serial = try Response(frame: replies.prefix(8))
            let part = try Response(frame: replies.suffix(8))
            #expect(serial.fullText == bus.simulator.model(address: 2)?.identity.serialNumber)
            #expect(part.fullText == bus.simulator.model(address: 2)?.identity.partNumber)
            #expect(elapsed >= .milliseconds(800), "each held reply waits its own delay: \(elapsed)")
            #expect(bus.simulator.servedLog.map(\.request.command) == [.serialNumber, .partNumber])
        }
        if overTCP {
            try await SimulatedBus.withTCP(faults: faults, body)
        } else {
            try await SimulatedBus.withPseudoTerminal(faults: faults, body)
        }
    }
}

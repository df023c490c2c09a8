import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Synchronization
import Testing

/// Late replies over real pseudo-terminals and TCP connections: an address answers in order,
/// the other addresses are not held back.
@Suite("Reply order")
struct ReplyOrderTests {
    /// How late a late reply is where the test waits for it.
    static let late: Duration = .milliseconds(1500)
    /// How late a late reply is where the test must act before it is due: long enough for a
    /// machine loaded by the whole suite (a test was seen to wait seconds for a thread).
    static let veryLate: Duration = .seconds(20)

    /// The request frames whose replies went on the wire, in order.
    final class WrittenReplies: Sendable {
        private let frames = Mutex<[[UInt8]]>([])

        init(_ simulator: Simulator) {
            simulator.observeWrittenReplies { frame in self.frames.withLock { $0.append(frame) } }
        }

        var requestFrames: [[UInt8]] { frames.withLock { $0 } }
    }

    /// Runs `body` with a bus on two addresses, 2 and 3, over TCP or a pseudo-terminal.
    private func withBus(overTCP: Bool, _ body: (SimulatedBus) async throws -> Void) async throws {
        if overTCP {
            try await SimulatedBus.withTCP(addresses: [2, 3], body)
        } else {
            try await SimulatedBus.withPseudoTerminal(addresses: [2, 3], body)
        }
    }

    /// A new client of `bus`: a TCP connection or the serial port.
    private func client(of bus: SimulatedBus) throws -> RawPort {
        if let port = bus.port { return try RawPort.connect(port: port) }
        return try RawPort.openSerial(bus.linkPath ?? "")
    }

    /// Sends `request` on `port` and returns once the simulator has answered it with a reply
    /// ``late`` late; later requests get their replies on time again.
    private func sendLate(_ request: Request, on port: RawPort, to bus: SimulatedBus, by late: Duration = late) async throws {
        try bus.simulator.setFaults(FaultSettings(lateRate: 1, lateDelay: late))
        try await Blocking.run { try port.send(request.bytes) }
        try await Deadline.until("the simulator to answer \(request.command) late") {
            bus.simulator.servedLog.contains { $0.request == request && $0.fault == .late(by: late) }
        }
        try bus.simulator.setFaults(.none)
    }

    /// The texts of the replies, in the order they arrive, to a serial-number request to 2
    /// answered ``late`` and to `next`, sent right after it on the same client; and the time
    /// from the first request to the second reply.
    private func repliesToALateRequest(
        then next: Request, on bus: SimulatedBus
    ) async throws -> (texts: [String], elapsed: Duration) {
        let port = try client(of: bus)
        defer { port.close() }
        let started = ContinuousClock.now
        try await sendLate(Request(address: 2, command: .serialNumber), on: port, to: bus)
        let replies = try await Blocking.run {
            try port.send(next.bytes)
            return try port.receive(2 * Response.length, timeout: .seconds(10))
        }
        let elapsed = ContinuousClock.now - started
        return ([try Response(frame: replies.prefix(8)).fullText, try Response(frame: replies.suffix(8)).fullText], elapsed)
    }

    @Test(arguments: [false, true])
    func aLateReplyDoesNotHoldBackAnotherAddress(overTCP: Bool) async throws {
        try await withBus(overTCP: overTCP) { bus in
            let port = try client(of: bus)
            defer { port.close() }
            try await sendLate(Request(address: 2, command: .serialNumber), on: port, to: bus, by: Self.veryLate)
            let reply = try await Blocking.run { try port.exchange(Request(address: 3, command: .serialNumber), timeout: .seconds(10)) }
            #expect(try Response(frame: reply).fullText == "240003", "3 answers while the reply of 2 waits")
        }
    }

    @Test(arguments: [false, true])
    func aLateReplyHoldsBackTheNextReplyOfItsAddress(overTCP: Bool) async throws {
        try await withBus(overTCP: overTCP) { bus in
            let (texts, elapsed) = try await repliesToALateRequest(then: Request(address: 2, command: .partNumber), on: bus)
            let partNumber = try #require(bus.simulator.model(address: 2)?.identity.partNumber)
            #expect(texts == ["240002", partNumber], "the late serial number first, then the part number")
            #expect(elapsed >= Self.late)
        }
    }

    /// One inverter answers one request at a time, whichever connection asked.
    @Test func anAddressKeepsItsOrderAcrossConnections() async throws {
        try await SimulatedBus.withTCP(addresses: [2, 3]) { bus in
            let written = WrittenReplies(bus.simulator)
            let first = try client(of: bus)
            let second = try client(of: bus)
            defer {
                first.close()
                second.close()
            }
            let serial = Request(address: 2, command: .serialNumber)
            let part = Request(address: 2, command: .partNumber)
            try await sendLate(serial, on: first, to: bus)
            let (partReply, serialReply) = try await Blocking.run {
                (try second.exchange(part, timeout: .seconds(10)), try first.receive(Response.length, timeout: .seconds(10)))
            }
            #expect(try Response(frame: serialReply).fullText == "240002")
            #expect(try Response(frame: partReply).fullText == bus.simulator.model(address: 2)?.identity.partNumber)
            #expect(written.requestFrames == [serial.bytes, part.bytes])
        }
    }

    @Test func aClosedConnectionDropsItsWaitingReplies() async throws {
        try await SimulatedBus.withTCP(addresses: [2, 3]) { bus in
            let written = WrittenReplies(bus.simulator)
            let leaving = try client(of: bus)
            let staying = try client(of: bus)
            defer { staying.close() }
            let serial = Request(address: 2, command: .serialNumber)
            let part = Request(address: 2, command: .partNumber)
            try await sendLate(serial, on: leaving, to: bus, by: .seconds(5))
            leaving.close()
            // Due after the dropped reply would have been: once it is written, that one is past.
            let partReply = try await Blocking.run { try staying.exchange(part, timeout: .seconds(10)) }
            #expect(CRC16.isValid(frame: partReply))
            #expect(written.requestFrames == [part.bytes])
        }
    }
}

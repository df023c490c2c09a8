import AuroraBridge
import AuroraLink
import AuroraProtocol
import AuroraTestSupport
import Synchronization
import Testing

/// An in-memory inverter for unit tests of the poller: answers or stays silent on demand.
final class ScriptedInverter: InverterClient {
    struct State {
        var awake = false
        var running = true
        var dayEnergy: UInt32 = 100
        var probes: [Double] = []
        var reads = 0
        /// The monotonic clock at each full read.
        var readTimes: [Double] = []
        /// How long a full read keeps the (virtual) bus busy, in seconds.
        var readDuration = 0.0
        /// Whether the state request gets only bad replies (a noisy line) while awake.
        var garbledStatus = false
    }

    let address: UInt8 = 2
    let state = Mutex(State())
    let clock: any WallClock

    init(clock: any WallClock) { self.clock = clock }

    private func answer() throws(LinkError) -> InverterStatus {
        let (awake, running) = state.withLock { ($0.awake, $0.running) }
        guard awake else {
            throw .noReply(.state(address: address), tries: 1, timeout: .seconds(1))
        }
        return InverterStatus(
            global: GlobalState(code: running ? 6 : 1), inverter: InverterState(code: 2),
            dcdc1: DCDCState(code: 2), dcdc2: DCDCState(code: 2), alarm: Alarm(code: 0))
    }

    func status() async throws(LinkError) -> InverterStatus { try garbled(answer()) }

    func probe() async throws(LinkError) -> InverterStatus {
        state.withLock { $0.probes.append(clock.now()) }
        return try garbled(answer())
    }

    /// `status`, unless the state request is garbled: then a bad reply.
    private func garbled(_ status: InverterStatus) throws(LinkError) -> InverterStatus {
        guard state.withLock({ $0.garbledStatus }) else { return status }
        throw .badReply(.state(address: address), tries: 3, lastProblem: "CRC mismatch")
    }

    func readAll() async throws(LinkError) -> InverterSnapshot {
        let status = try answer()
        let duration = state.withLock { $0.readDuration }
        if duration > 0 { try? await clock.sleep(untilMonotonic: clock.monotonicNow() + duration) }
        var snapshot = InverterSnapshot(address: address)
        snapshot.globalState = status.global
        snapshot.measures[.gridPower] = 1234.5
        snapshot.energy[.day] = state.withLock {
            $0.reads += 1
            $0.readTimes.append(clock.monotonicNow())
            $0.dayEnergy += 7
            return $0.dayEnergy
        }
        return snapshot
    }

    func time() async throws(LinkError) -> Int64 {
        _ = try answer()
        return Int64(clock.now())
    }

    func setTime(_ unix: Int64) async throws(LinkError) { _ = try answer() }

    func lastAlarms() async throws(LinkError) -> AlarmHistory {
        _ = try answer()
        return AlarmHistory(reply: Response(globalState: 6, data: [0, 0, 0, 0]))
    }

    func identity() async throws(LinkError) -> InverterIdentity {
        _ = try answer()
        throw .badReply(Request(address: address, command: .partNumber), tries: 1, lastProblem: "scripted")
    }
}

/// Collects poller events for assertions.
final class EventLog: PollerSink {
    let events = Mutex<[PollerEvent]>([])

    func handle(_ event: PollerEvent) async {
        events.withLock { $0.append(event) }
    }

    var packets: [LoopPacket] {
        events.withLock { $0.compactMap { if case .packet(let packet) = $0 { packet } else { nil } } }
    }

    var availabilities: [Availability] {
        events.withLock {
            $0.compactMap { if case .availability(_, let value) = $0 { value } else { nil } }
        }
    }
}

@Suite struct PollerTests {
    let clock = SteppingClock(start: 1_782_000_000)

    private func start(_ inverter: ScriptedInverter, log: EventLog) -> Task<Void, any Error> {
        let poller = Poller(
            inverters: [PolledInverter(name: "roof", client: inverter, pollInterval: 10)],
            maxProbeInterval: 80, clock: clock, sink: log)
        return Task { try await poller.run() }
    }

    @Test func answeringInverterProducesPacketsWithDerivedEnergy() async throws {
        let inverter = ScriptedInverter(clock: clock)
        inverter.state.withLock { $0.awake = true }
        let log = EventLog()
        let task = start(inverter, log: log)
        defer { task.cancel() }
        try await Deadline.until("three packets") { log.packets.count >= 3 }
        let packets = log.packets
        #expect(log.availabilities.first == .online)
        #expect(packets[0]["energy"] == nil, "no energy on the first packet")
        #expect(packets[1]["energy"] == .integer(7))
        #expect(packets[2]["gridPower"] == .float(1234.5))
        #expect(packets[1].dateTime > packets[0].dateTime)
    }

    @Test func silentInverterIsAsleepWithNoPacketsAndIsProbedWithBackOff() async throws {
        let inverter = ScriptedInverter(clock: clock)
        let log = EventLog()
        let task = start(inverter, log: log)
        defer { task.cancel() }
        try await Deadline.until("six probes") { inverter.state.withLock { $0.probes.count >= 6 } }
        #expect(log.availabilities == [.asleep])
        #expect(log.packets.isEmpty)
        let probes = inverter.state.withLock { $0.probes }
        let gaps = zip(probes.dropFirst(), probes).map { $0 - $1 }
        // Doubling from the poll interval, then capped at 80.
        #expect(Array(gaps.prefix(5)) == [20, 40, 80, 80, 80])
        inverter.state.withLock { $0.awake = true }
        try await Deadline.until("a packet after waking") { !log.packets.isEmpty }
        #expect(log.availabilities == [.asleep, .online])
    }

    @Test func inverterThatFallsSilentWhileRunningIsUnreachableThenResumes() async throws {
        let inverter = ScriptedInverter(clock: clock)
        inverter.state.withLock { $0.awake = true }
        let log = EventLog()
        let task = start(inverter, log: log)
        defer { task.cancel() }
        try await Deadline.until("a packet") { log.packets.count >= 2 }
        inverter.state.withLock { $0.awake = false }
        try await Deadline.until("unreachable") { log.availabilities.last == .unreachable }
        let packetsWhileSilent = log.packets.count
        try await Deadline.until("two probes") { inverter.state.withLock { $0.probes.count >= 2 } }
        #expect(log.packets.count == packetsWhileSilent)
        inverter.state.withLock { $0.awake = true }
        try await Deadline.until("packets again") { log.packets.count > packetsWhileSilent + 1 }
        #expect(log.availabilities == [.online, .unreachable, .online])
        // The energy baseline survives the outage: the first packet after it carries the rise.
        let resumed = log.packets[packetsWhileSilent]
        #expect(resumed["energy"] == .integer(7))
    }

    /// A state request that only got bad replies is left out: the inverter answered, so it is
    /// neither asleep nor unreachable, and the full read still goes on.
    @Test func aGarbledStateRequestDoesNotEndThePoll() async throws {
        let inverter = ScriptedInverter(clock: clock)
        inverter.state.withLock {
            $0.awake = true
            $0.garbledStatus = true
        }
        let log = EventLog()
        let task = start(inverter, log: log)
        defer { task.cancel() }
        try await Deadline.until("three packets") { log.packets.count >= 3 }
        #expect(log.availabilities == [.online])
        #expect(inverter.state.withLock { $0.probes.isEmpty }, "never taken for silent")
        #expect(log.events.withLock { !$0.contains { if case .status = $0 { true } else { false } } }, "no state was made up")
    }

    @Test func inverterThatWindsDownFirstIsAsleep() async throws {
        let inverter = ScriptedInverter(clock: clock)
        inverter.state.withLock {
            $0.awake = true
            $0.running = false
        }
        let log = EventLog()
        let task = start(inverter, log: log)
        defer { task.cancel() }
        try await Deadline.until("a packet") { !log.packets.isEmpty }
        inverter.state.withLock { $0.awake = false }
        try await Deadline.until("asleep") { log.availabilities.last == .asleep }
        #expect(log.availabilities == [.online, .asleep])
    }

    @Test(arguments: [-600.0, 600.0])
    func aWallClockStepKeepsEveryInverterAtItsPollRate(step: Double) async throws {
        let inverters = (0..<3).map { _ in ScriptedInverter(clock: clock) }
        for inverter in inverters { inverter.state.withLock { $0.awake = true } }
        let log = EventLog()
        let poller = Poller(
            inverters: inverters.enumerated().map { PolledInverter(name: "inv\($0.offset)", client: $0.element, pollInterval: 2) },
            maxProbeInterval: 80, clock: clock, sink: log)
        let task = Task { try await poller.run() }
        defer { task.cancel() }
        let readTimes = { inverters.map { $0.state.withLock { $0.readTimes } } }
        try await Deadline.until("every inverter polled") { readTimes().allSatisfy { $0.count >= 3 } }
        let stepped = clock.monotonicNow()
        clock.step(by: step)
        try await Deadline.until("40 s more on the monotonic clock") {
            readTimes().allSatisfy { ($0.last ?? 0) >= stepped + 41 }
        }
        for (index, times) in readTimes().enumerated() {
            let polls = times.filter { $0 >= stepped && $0 < stepped + 40 }.count
            #expect((19...21).contains(polls), "inverter \(index): \(polls) polls in the 40 s after the step")
        }
        // Packets carry the stepped wall clock.
        let last = try #require(log.packets.last)
        #expect(abs(Double(last.dateTime) - clock.now()) <= 3)
    }

    @Test func anOverloadedBusPollsEveryInverterInTurn() async throws {
        // Eight inverters at 1 s with 0.35 s polls need 282% of the bus: all are overdue.
        let inverters = (0..<8).map { _ in ScriptedInverter(clock: clock) }
        for inverter in inverters {
            inverter.state.withLock {
                $0.awake = true
                $0.readDuration = 0.35
            }
        }
        let log = EventLog()
        let poller = Poller(
            inverters: inverters.enumerated().map { PolledInverter(name: "inv\($0.offset)", client: $0.element, pollInterval: 1) },
            maxProbeInterval: 80, clock: clock, sink: log)
        let task = Task { try await poller.run() }
        defer { task.cancel() }
        try await Deadline.until("ten rounds", timeout: .seconds(60)) { log.packets.count >= 80 }
        let names = log.packets.prefix(80).map(\.inverter)
        for round in stride(from: 0, to: 80, by: 8) {
            #expect(Set(names[round..<round + 8]).count == 8, "round \(round / 8): \(names[round..<round + 8])")
        }
        for (index, inverter) in inverters.enumerated() {
            let times = inverter.state.withLock { $0.readTimes }
            let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
            #expect(gaps.allSatisfy { abs($0 - 8 * 0.35) < 0.01 }, "inverter \(index) waits one round: \(gaps)")
        }
    }
}

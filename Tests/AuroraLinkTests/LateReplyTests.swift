import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// Replies that arrive after the read timeout, mixed with the other faults: every value a poll
/// returns must be one the simulator served for that very field.
@Suite("Late replies never shift values")
struct LateReplyTests {
    static let readTimeout: Duration = .milliseconds(150)
    static let clock = InverterClock(timeZone: .gmt)

    /// How late a late reply is: half the read timeout (still in time), just over it, and
    /// three and a half times it.
    static let lateness: [Duration] = [readTimeout / 2, readTimeout + .milliseconds(15), readTimeout * 3.5]

    static func faults(late: Duration, seed: UInt64) -> FaultSettings {
        FaultSettings(
            crcErrorRate: 0.03, dropRate: 0.03, garbageRate: 0.03, seed: seed,
            lateRate: 0.08, lateDelay: late
        )
    }

    @Test(arguments: lateness)
    func overAPseudoTerminal(late: Duration) async throws {
        try await SimulatedBus.withPseudoTerminal(faults: Self.faults(late: late, seed: 31)) { try await Self.pollAndCheck($0) }
    }

    @Test(arguments: lateness)
    func overTCP(late: Duration) async throws {
        try await SimulatedBus.withTCP(faults: Self.faults(late: late, seed: 47)) { try await Self.pollAndCheck($0) }
    }

    /// Lateness alone, with no other fault, on the default 3 tries.
    @Test func lateRepliesAlone() async throws {
        let faults = FaultSettings(seed: 5, lateRate: 0.1, lateDelay: Self.readTimeout + .milliseconds(20))
        try await SimulatedBus.withPseudoTerminal(faults: faults) { try await Self.pollAndCheck($0, tries: 3) }
    }

    /// How late a late reply is on a bus of two inverters: just over the read timeout, and three
    /// and a half times it (a silent inverter's requests hold up the other one up to the
    /// late-reply horizon, ten read timeouts). The tries are enough for the silent waits to
    /// outlast the lateness (a reply later than all of them counts as none: the poll fails, no
    /// value is wrong).
    static let latenessOfTwo: [Duration] = [readTimeout + .milliseconds(15), readTimeout * 3.5]

    /// Two inverters on one bus: a late reply holds back only its own inverter's later replies,
    /// the other answers meanwhile. No value of one may be taken for the other's.
    @Test(arguments: latenessOfTwo)
    func twoInvertersOverAPseudoTerminal(late: Duration) async throws {
        try await SimulatedBus.withPseudoTerminal(addresses: [2, 3], faults: Self.faults(late: late, seed: 71)) {
            try await Self.pollAndCheck($0, addresses: [2, 3], tries: Self.tries(outlasting: late))
        }
    }

    @Test(arguments: latenessOfTwo)
    func twoInvertersOverTCP(late: Duration) async throws {
        try await SimulatedBus.withTCP(addresses: [2, 3], faults: Self.faults(late: late, seed: 73)) {
            try await Self.pollAndCheck($0, addresses: [2, 3], tries: Self.tries(outlasting: late))
        }
    }

    /// Tries whose silent waits (up to a read timeout each) add up to more than `late`.
    static func tries(outlasting late: Duration) -> Int { max(5, Int((late / readTimeout).rounded(.up)) + 2) }

    /// Late replies alone, every one of them three read timeouts late, on two inverters.
    @Test func twoInvertersWithLateRepliesAlone() async throws {
        let faults = FaultSettings(seed: 13, lateRate: 0.1, lateDelay: Self.readTimeout * 3)
        try await SimulatedBus.withPseudoTerminal(addresses: [2, 3], faults: faults) {
            try await Self.pollAndCheck($0, addresses: [2, 3], tries: 3)
        }
    }

    /// Identity, status and full polls of each of `addresses` in turn through `bus`; checks each
    /// value against what was served to that very request.
    static func pollAndCheck(_ bus: SimulatedBus, addresses: [UInt8] = [2], tries: Int = 5) async throws {
        let beyondTimeout = bus.simulator.faults.lateDelay > readTimeout
        let link = LinkFixtures.link(to: bus, readTimeout: readTimeout, tries: tries)
        var identities: [UInt8: [InverterIdentity]] = [:]
        var statuses: [UInt8: [InverterStatus]] = [:]
        var polls: [UInt8: [InverterSnapshot]] = [:]
        // At least 4 rounds, and more (up to 12) until every inverter has 2 full polls: on a loaded
        // machine a poll can run out of tries, which is no wrong value.
        for round in 0..<12 {
            if round >= 4, addresses.allSatisfy({ (polls[$0]?.count ?? 0) >= 2 }) { break }
            for address in addresses {
                let inverter = Inverter(link: link, address: address, clock: clock)
                if let identity = try? await inverter.identity() { identities[address, default: []].append(identity) }
                if let status = try? await inverter.status() { statuses[address, default: []].append(status) }
                if let poll = try? await inverter.readAll() { polls[address, default: []].append(poll) }
            }
        }
        let served = ServedValues(bus.simulator.servedLog)
        #expect(served.lateCount > 0, "the seed gives late replies")
        for address in addresses {
            let polls = polls[address] ?? []
            #expect(polls.count >= 2 && statuses[address]?.isEmpty == false, "inverter \(address)")
            var checked = 0
            for poll in polls {
                for (type, value) in poll.measures {
                    #expect(served.floats(.measure(type, address: address)).contains(value.bitPattern), "\(address): \(type) = \(value) was never served for it")
                    checked += 1
                }
                for (period, value) in poll.energy {
                    #expect(served.integers(.energy(period, address: address)).contains(value), "\(address): \(period) = \(value) was never served for it")
                    checked += 1
                }
                if let time = poll.inverterTime {
                    #expect(served.integers(Request(address: address, command: .readTime)).map { clock.unixTime(fromInverter: $0) }.contains(time))
                    checked += 1
                }
            }
            #expect(checked > polls.count * 25, "most of every poll of \(address) came through")
            for status in statuses[address] ?? [] {
                #expect(served.replies(.state(address: address)).map(InverterStatus.init(reply:)).contains(status))
            }
            for identity in identities[address] ?? [] {
                #expect(served.replies(Request(address: address, command: .partNumber)).map(\.fullText).contains(identity.partNumber))
                #expect(served.replies(Request(address: address, command: .serialNumber)).map(\.fullText).contains(identity.serialNumber))
                #expect(served.replies(Request(address: address, command: .firmware)).map(FirmwareRelease.init(reply:)).contains(identity.firmware))
                #expect(served.replies(Request(address: address, command: .manufacturingDate)).map(ManufactureDate.init(reply:)).contains(identity.manufactureDate))
                #expect(served.replies(Request(address: address, command: .version)).map(VersionInfo.init(reply:)).contains(identity.version))
            }
        }
        let statistics = await link.statistics
        #expect(statistics.realignments > 0)
        if beyondTimeout { #expect(statistics.discardedFrames > 0, "late replies were thrown away") }
    }
}

/// What the simulator served intact (late ones included), per request.
struct ServedValues {
    private let byRequest: [Request: [Response]]
    /// How many replies went out late.
    let lateCount: Int

    init(_ log: [ServedReply]) {
        byRequest = Dictionary(grouping: log.filter(\.arrivedIntact), by: \.request).mapValues { $0.map(\.response) }
        lateCount = log.count { if case .late = $0.fault { true } else { false } }
    }

    func replies(_ request: Request) -> [Response] { byRequest[request] ?? [] }
    func floats(_ request: Request) -> Set<UInt32> { Set(replies(request).map { $0.float.bitPattern }) }
    func integers(_ request: Request) -> Set<UInt32> { Set(replies(request).map(\.uint32)) }
}

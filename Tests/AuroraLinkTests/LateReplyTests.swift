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

    /// Identity, status and full polls through `bus`; checks each value against what was served.
    static func pollAndCheck(_ bus: SimulatedBus, tries: Int = 5) async throws {
        let beyondTimeout = bus.simulator.faults.lateDelay > readTimeout
        let link = LinkFixtures.link(to: bus, readTimeout: readTimeout, tries: tries)
        let inverter = Inverter(link: link, address: 2, clock: clock)
        var identities: [InverterIdentity] = []
        var statuses: [InverterStatus] = []
        var polls: [InverterSnapshot] = []
        for _ in 0..<4 {
            if let identity = try? await inverter.identity() { identities.append(identity) }
            if let status = try? await inverter.status() { statuses.append(status) }
            if let poll = try? await inverter.readAll() { polls.append(poll) }
        }
        let served = ServedValues(bus.simulator.servedLog)
        #expect(served.lateCount > 0, "the seed gives late replies")
        #expect(polls.count >= 2 && !statuses.isEmpty)
        var checked = 0
        for poll in polls {
            for (type, value) in poll.measures {
                #expect(served.floats(.measure(type, address: 2)).contains(value.bitPattern), "\(type) = \(value) was never served for it")
                checked += 1
            }
            for (period, value) in poll.energy {
                #expect(served.integers(.energy(period, address: 2)).contains(value), "\(period) = \(value) was never served for it")
                checked += 1
            }
            if let time = poll.inverterTime {
                #expect(served.integers(Request(address: 2, command: .readTime)).map { clock.unixTime(fromInverter: $0) }.contains(time))
                checked += 1
            }
        }
        #expect(checked > polls.count * 25, "most of every poll came through")
        for status in statuses {
            #expect(served.replies(.state(address: 2)).map(InverterStatus.init(reply:)).contains(status))
        }
        for identity in identities {
            #expect(served.replies(Request(address: 2, command: .partNumber)).map(\.fullText).contains(identity.partNumber))
            #expect(served.replies(Request(address: 2, command: .serialNumber)).map(\.fullText).contains(identity.serialNumber))
            #expect(served.replies(Request(address: 2, command: .firmware)).map(FirmwareRelease.init(reply:)).contains(identity.firmware))
            #expect(served.replies(Request(address: 2, command: .manufacturingDate)).map(ManufactureDate.init(reply:)).contains(identity.manufactureDate))
            #expect(served.replies(Request(address: 2, command: .version)).map(VersionInfo.init(reply:)).contains(identity.version))
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

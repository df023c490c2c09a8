import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Replies the inverter refuses or mangles")
struct RefusalTests {
    /// A reply with transmission state `code` and data bytes that would decode to 242.946 V.
    static func refusal(_ code: UInt8) -> [UInt8] {
        Response(transmissionState: code, globalState: 6, data: [0x43, 0x72, 0xF2, 0x45]).bytes
    }

    /// A link to `server` with a fixed timeout: the tests count requests exactly, and a reply
    /// delayed by a loaded machine past a learned timeout would add some.
    static func link(to server: ScriptedTCPServer, tries: Int = 3) throws -> Link {
        Link(configuration: LinkConfiguration(
            port: try PortAddress(parsing: server.url), readTimeout: .milliseconds(300), maxTries: tries,
            reopenBackoffMin: .milliseconds(50), learnsReplyTimeout: false
        ))
    }

    @Test(arguments: [UInt8(53), 54, 55, 56, 57, 200])
    func aRefusalIsAnErrorAndItsDataIsNeverUsed(code: UInt8) async throws {
        let server = try ScriptedTCPServer { _ in Self.refusal(code) }
        defer { server.stop() }
        let link = try Self.link(to: server)
        let error = await linkError { () async throws(LinkError) in try await Inverter(link: link, address: 2).measure(.gridVoltage) }
        let state = TransmissionState(code: code)
        #expect(error == .refused(TransmissionError(command: .measure, state: state)))
        #expect(error?.isNotSupported == false)
        #expect(error?.description.contains(state.description) == true)
        #expect(server.requests.count == 1, "a refusal other than 58 is final")
        #expect(await link.statistics.refusals == 1)
        // It is not remembered as unsupported: the next request goes on the wire again.
        _ = await linkError { () async throws(LinkError) in try await Inverter(link: link, address: 2).measure(.gridVoltage) }
        #expect(server.requests.count == 2)
    }

    @Test func notAvailableNowIsRetriedThenRefused() async throws {
        let server = try ScriptedTCPServer { _ in Self.refusal(58) }
        defer { server.stop() }
        let link = try Self.link(to: server, tries: 3)
        let error = await linkError { () async throws(LinkError) in try await Inverter(link: link, address: 2).energy(.day) }
        #expect(error == .refused(TransmissionError(command: .cumulatedEnergy, state: TransmissionState(code: 58))))
        #expect(server.requests == Array(repeating: .energy(.day, address: 2), count: 3))
    }

    @Test func readAllListsRefusedAndBadReadingsAsFailures() async throws {
        let clock = ManualClock(SimulatedBus.defaultStart)
        let simulator = try Simulator(inverters: [InverterModel(address: 2, timeZone: .gmt)], clock: clock)
        let server = try ScriptedTCPServer { request in
            var reply = simulator.expectedReply(to: request)?.bytes
            if request == .measure(.isolationResistance, address: 2) { reply = Self.refusal(57) }
            if request == .energy(.week, address: 2) { reply?[7] ^= 0xFF }  // always a bad CRC
            return reply
        }
        defer { server.stop() }
        let link = try Self.link(to: server, tries: 3)
        let poll = try await Inverter(link: link, address: 2, clock: InverterClock(timeZone: .gmt)).readAll()
        let expected = try #require(simulator.snapshot(address: 2))

        #expect(poll.failures.map(\.request) == [.measure(.isolationResistance, address: 2), .energy(.week, address: 2)])
        #expect(poll.failures.first?.error == .refused(TransmissionError(command: .measure, state: TransmissionState(code: 57))))
        guard case .badReply(_, let tries, let problem) = poll.failures.last?.error else {
            Issue.record("expected a bad reply, got \(String(describing: poll.failures.last))")
            return
        }
        #expect(tries == 3 && problem.contains("CRC"))
        #expect(poll.measures[.isolationResistance] == nil && poll.energy[.week] == nil)
        for (type, value) in expected.measures where type != .isolationResistance {
            #expect(poll.measures[type]?.bitPattern == value.bitPattern, "\(type)")
        }
        #expect(poll.energy.count == 5 && poll.energy[.total] == expected.energy[.total])
        #expect(poll.inverterTime == Int64(SimulatedBus.defaultStart))
        // Two bad replies in a row cycle the connection.
        #expect(await link.statistics.reopens == 1)
        #expect(server.connections == 2)
    }
}

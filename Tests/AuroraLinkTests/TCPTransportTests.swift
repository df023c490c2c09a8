import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("RS485-to-Ethernet adapters over TCP")
struct TCPTransportTests {
    @Test func aFullPollOverTCPIsExact() async throws {
        try await SimulatedBus.withTCP(addresses: [2, 3]) { bus in
            let port = try PortAddress(parsing: "tcp://127.0.0.1:\(try #require(bus.port))")
            let link = Link(configuration: LinkConfiguration(port: port, readTimeout: .milliseconds(300)))
            let clock = InverterClock(timeZone: .gmt)
            for address: UInt8 in [2, 3] {
                let poll = try await Inverter(link: link, address: address, clock: clock).readAll()
                LinkFixtures.expect(poll, equals: try #require(bus.snapshot(address: address)), clock: clock)
            }
            #expect(await link.statistics.replies == 64)
        }
    }

    @Test func aPeerThatHangsUpMakesThePortUnavailableUntilItReconnects() async throws {
        let clock = ManualClock(SimulatedBus.defaultStart)
        let simulator = try Simulator(inverters: [InverterModel(address: 2, timeZone: .gmt)], clock: clock)
        let server = try ScriptedTCPServer { simulator.respond(to: $0.bytes)?.bytes }
        defer { server.stop() }
        let link = Link(configuration: LinkConfiguration(
            port: try PortAddress(parsing: server.url), readTimeout: .seconds(6), reopenBackoffMin: .milliseconds(50)
        ))
        let inverter = Inverter(link: link, address: 2)
        #expect(try await inverter.status() == simulator.snapshot(address: 2)?.status)

        server.hangUp()
        let started = ContinuousClock.now
        let error = await linkError { () async throws(LinkError) in try await inverter.status() }
        #expect(ContinuousClock.now - started < .seconds(3), "a closed connection is noticed at once, not after the read timeout")
        guard case .deviceUnavailable(let name, let reason) = error else {
            Issue.record("expected deviceUnavailable, got \(String(describing: error))")
            return
        }
        #expect(name == server.url)
        #expect(reason.contains("closed"))

        let status = try await Deadline.wait(for: "the link to reconnect", timeout: .seconds(5), interval: .milliseconds(20)) {
            try? await inverter.status()
        }
        #expect(status == simulator.snapshot(address: 2)?.status)
        #expect(server.connections == 2)
        #expect(await link.statistics.reopens == 1)
    }

    @Test func aRefusedConnectionIsReportedWithTheAddress() async throws {
        let refusing = RefusingPort()
        let port = refusing.port
        let link = Link(configuration: LinkConfiguration(port: .tcp(host: "127.0.0.1", port: port)))
        let error = await linkError { () async throws(LinkError) in try await link.open() }
        guard case .cannotOpen(let name, let reason) = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(name == "tcp://127.0.0.1:\(port)")
        #expect(reason.contains("refused"))
        withExtendedLifetime(refusing) {}
    }
}

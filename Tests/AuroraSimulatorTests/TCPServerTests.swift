import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Testing

@Suite("TCP server")
struct TCPServerTests {
    @Test func roundTripOverTCP() async throws {
        try await SimulatedBus.withTCP { bus in
            let port = try #require(bus.port)
            let reply = try await Blocking.run {
                let connection = try RawPort.connect(port: port)
                defer { connection.close() }
                return try connection.exchange(.energy(.day, address: 2))
            }
            #expect(CRC16.isValid(frame: reply))
            #expect(reply.replyUInt32 == bus.snapshot()?.energy[.day])
        }
    }

    @Test func servesConcurrentAndSequentialConnections() async throws {
        try await SimulatedBus.withTCP { bus in
            let port = try #require(bus.port)
            let replies = try await Blocking.run {
                let first = try RawPort.connect(port: port)
                let second = try RawPort.connect(port: port)
                defer {
                    first.close()
                    second.close()
                }
                var replies = [try first.exchange(.state(address: 2)), try second.exchange(.state(address: 2))]
                replies.append(try first.exchange(.measure(.gridVoltage, address: 2)))
                let third = try RawPort.connect(port: port)
                defer { third.close() }
                replies.append(try third.exchange(.state(address: 2)))
                return replies
            }
            #expect(replies.count == 4 && replies.allSatisfy { CRC16.isValid(frame: $0) })
        }
    }

    @Test func bindsTheRequestedPortAndStopsCleanly() throws {
        let (simulator, _) = try Fixtures.simulator()
        let (server, wanted) = try serverOnAProbedFreePort(simulator)
        #expect(server.port == wanted)
        #expect(server.address == "127.0.0.1:\(wanted)")
        // Stopping twice is harmless. (Whether the port is free afterwards cannot be checked
        // reliably: a parallel test may bind it at once.)
        server.stop()
        server.stop()
        #expect(throws: SimulatorError.self) { try TCPServer(simulator: simulator, host: "no.such.host.invalid", port: 0) }
    }

    /// A server on a port probed with ``FreePort``; someone else may take a probed port before
    /// the bind, so a few ports are tried, and the last attempt's error is reported.
    private func serverOnAProbedFreePort(_ simulator: Simulator) throws -> (TCPServer, UInt16) {
        for _ in 1..<5 {
            let wanted = FreePort.loopback()
            if let server = try? TCPServer(simulator: simulator, host: "127.0.0.1", port: wanted) {
                return (server, wanted)
            }
        }
        let wanted = FreePort.loopback()
        return (try TCPServer(simulator: simulator, host: "127.0.0.1", port: wanted), wanted)
    }
}

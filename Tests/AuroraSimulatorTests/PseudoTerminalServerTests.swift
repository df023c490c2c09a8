import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Pseudo-terminal server")
struct PseudoTerminalServerTests {
    @Test func roundTripThroughTheLink() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let link = try #require(bus.linkPath)
            let reply = try await Blocking.run {
                let port = try RawPort.openSerial(link)
                defer { port.close() }
                return try port.exchange(.measure(.gridPower, address: 2))
            }
            #expect(CRC16.isValid(frame: reply))
            #expect(reply[0] == 0 && reply[1] == 6)
            #expect(reply.replyFloat == 3600)
            let served = try #require(bus.simulator.lastServed(.measure(.gridPower, address: 2)))
            #expect(served.response.bytes == reply)
        }
    }

    @Test func servesAnotherAddressAndStaysSilentForUnknownOnes() async throws {
        try await SimulatedBus.withPseudoTerminal(addresses: [2, 3]) { bus in
            let link = try #require(bus.linkPath)
            let (serial, silent) = try await Blocking.run {
                let port = try RawPort.openSerial(link)
                defer { port.close() }
                let serial = try port.exchange(Request(address: 3, command: .serialNumber))
                try port.send(Request.state(address: 9).bytes)
                return (serial, try port.staysSilent(for: .milliseconds(200)))
            }
            #expect(String(decoding: serial.prefix(6), as: UTF8.self) == "240003")
            #expect(silent)
        }
    }

    @Test func silentAtNightUntilTheClockReachesDawn() async throws {
        try await SimulatedBus.withPseudoTerminal(start: Fixtures.sunday + 3 * Fixtures.hour) { bus in
            let link = try #require(bus.linkPath)
            let port = try RawPort.openSerial(link)
            defer { port.close() }
            let silent = try await Blocking.run {
                try port.send(Request.state(address: 2).bytes)
                return try port.staysSilent(for: .milliseconds(200))
            }
            #expect(silent)
            bus.clock.set(Fixtures.sunday + 5.8 * Fixtures.hour)
            let reply = try await Blocking.run { try port.exchange(.state(address: 2)) }
            #expect(reply[1] == 1, "Wait sun / grid")
        }
    }

    @Test func resynchronisesAfterGarbageOnTheLine() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let link = try #require(bus.linkPath)
            let reply = try await Blocking.run {
                let port = try RawPort.openSerial(link)
                defer { port.close() }
                try port.send([0x0A, 0x02, 0x3B, 0xFF])
                return try port.exchange(.energy(.total, address: 2))
            }
            #expect(reply.replyUInt32 == bus.snapshot()?.energy[.total])
        }
    }

    @Test func survivesClientsOpeningAndClosingThePort() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let link = try #require(bus.linkPath)
            let replies = try await Blocking.run {
                try (0..<20).map { _ in
                    let port = try RawPort.openSerial(link)
                    defer { port.close() }
                    return try port.exchange(.state(address: 2))
                }
            }
            #expect(replies.allSatisfy { CRC16.isValid(frame: $0) && $0[1] == 6 })
        }
    }

    @Test func disconnectHangsUpAndReconnectRelinks() async throws {
        let bus = try SimulatedBus.pseudoTerminal()
        defer { bus.stop() }
        let link = try #require(bus.linkPath)
        let port = try RawPort.openSerial(link)
        defer { port.close() }
        _ = try await Blocking.run { try port.exchange(.state(address: 2)) }

        bus.disconnect()
        #expect(try await Blocking.run { port.hangsUp(within: .seconds(2)) })
        #expect(!FileManager.default.fileExists(atPath: link))
        #expect(throws: RawPortError.self) { try RawPort.openSerial(link) }

        try bus.reconnect()
        let reply = try await Blocking.run {
            let fresh = try RawPort.openSerial(link)
            defer { fresh.close() }
            return try fresh.exchange(.measure(.gridPower, address: 2))
        }
        #expect(reply.replyFloat == 3600)
    }

    @Test func stopRemovesTheLinkAndReplacesStaleLinks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-sim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("ttyStale").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/pts/does-not-exist")
        let (simulator, _) = try Fixtures.simulator()
        let server = try PseudoTerminalServer(simulator: simulator, linkPath: link)
        let slave = try #require(server.slavePath)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == slave)
        server.stop()
        server.stop()
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
        #expect(server.slavePath == nil)
        #expect(throws: SimulatorError.stopped) { try server.reconnect() }
    }

    @Test func refusesToReplaceARegularFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-sim-file-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (simulator, _) = try Fixtures.simulator()
        #expect(throws: SimulatorError.linkPathOccupied(path)) { try PseudoTerminalServer(simulator: simulator, linkPath: path) }
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
    }

    @Test func delayedRepliesArriveAfterTheDelay() async throws {
        try await SimulatedBus.withPseudoTerminal(faults: FaultSettings(delay: .milliseconds(60))) { bus in
            let link = try #require(bus.linkPath)
            let elapsed = try await Blocking.run {
                let port = try RawPort.openSerial(link)
                defer { port.close() }
                let start = ContinuousClock.now
                _ = try port.exchange(.state(address: 2))
                return ContinuousClock.now - start
            }
            #expect(elapsed >= .milliseconds(60))
        }
    }
}

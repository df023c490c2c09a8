import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Exclusive use of the serial port")
struct PortLockTests {
    @Test func aSecondLinkOnTheSamePortIsRefusedUntilTheFirstCloses() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let path = try #require(bus.linkPath)
            let first = LinkFixtures.link(to: bus)
            let second = LinkFixtures.link(to: bus)
            try await first.open()

            let error = await linkError { () async throws(LinkError) in try await second.open() }
            #expect(error == .portInUse(path))
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains("in use") == true)
            // A transaction on the second link is refused the same way, and the first still works.
            let refused = await linkError { () async throws(LinkError) in try await Inverter(link: second, address: 2).status() }
            #expect(refused == .portInUse(path))
            #expect(try await Inverter(link: first, address: 2).status() == bus.snapshot()?.status)

            await first.close()
            // The lock goes with the last copy of the descriptor; a child process that another test
            // is starting may hold one for a moment between fork and exec.
            try await Deadline.until("the second link to get the port", timeout: .seconds(2)) {
                (try? await second.open()) != nil
            }
            #expect(try await Inverter(link: second, address: 2).status() == bus.snapshot()?.status)
            let third = await linkError { () async throws(LinkError) in try await first.open() }
            #expect(third == .portInUse(path), "now the second link holds it")
        }
    }
}

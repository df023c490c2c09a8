import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("Refusals on a suspect stream")
struct AlignedRefusalTests {
    /// A "not supported" refusal that came behind stray bytes is not remembered: the stream was
    /// not proven aligned, so the item is asked for again.
    @Test func aRefusalBehindStrayBytesDoesNotBlacklistTheItem() async throws {
        let simulator = try Simulator(inverters: [InverterModel(address: 2, timeZone: .gmt)], clock: ManualClock(SimulatedBus.defaultStart))
        let refused = Request.measure(.gridVoltage, address: 2)
        let server = try ScriptedTCPServer { request in
            if request == refused { return [0xA5] + Response(transmissionState: 51, globalState: 6, data: [0, 0, 0, 0]).bytes }
            return simulator.expectedReply(to: request)?.bytes
        }
        defer { server.stop() }
        let link = Link(configuration: LinkConfiguration(port: try PortAddress(parsing: server.url), readTimeout: .milliseconds(300)))
        let inverter = Inverter(link: link, address: 2)
        for _ in 0..<2 {
            let error = await linkError { () async throws(LinkError) in try await inverter.measure(.gridVoltage) }
            #expect(error?.isNotSupported == true)
        }
        #expect(server.requests.count { $0 == refused } == 2, "asked again: the first refusal was not on an aligned link")
        let statistics = await link.statistics
        #expect(statistics.resynchronisations == 2 && statistics.realignments == 1)
    }
}

import AuroraProtocol
import AuroraSimulator
import Foundation
import Testing

@Suite("Replaying a capture")
struct ReplayTests {
    static let a = Request.state(address: 2).bytes
    static let b = Request(address: 2, command: .serialNumber).bytes
    static let c = Request(address: 2, command: .partNumber).bytes

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static let text = """
        {"capture":"aurora-bridge","version":"1","port":"p","baud":19200,"started":"x"}
        {"t":0.5,"dir":"rx","hex":"ff","accepted":false,"reason":"flushed"}
        {"t":1.0,"dir":"tx","hex":"\(hex(a))"}
        {"t":1.05,"dir":"rx","hex":"0006","accepted":false,"reason":"crc"}
        {"t":1.06,"dir":"rx","hex":"000000000000","accepted":false,"reason":"crc"}
        {"t":2.0,"dir":"tx","hex":"\(hex(b))"}
        {"t":3.0,"dir":"tx","hex":"\(hex(c))"}
        {"t":3.25,"dir":"rx","hex":"41424344454600ff","accepted":true}

        """

    private func simulator() throws -> Simulator {
        let simulator = try Simulator(inverters: [InverterModel(address: 2, timeZone: .gmt)], clock: ManualClock(0))
        simulator.startReplay(try CaptureScript(text: Self.text))
        return simulator
    }

    @Test func theScriptHoldsEachRequestAndWhatCameAfterIt() throws {
        let script = try CaptureScript(text: Self.text)
        #expect(script.exchanges.map(\.request) == [Self.a, Self.b, Self.c])
        #expect(script.exchanges[0].replies.map(\.bytes) == [[0, 6], [0, 0, 0, 0, 0, 0]])
        #expect(script.exchanges[0].replies.map(\.delay) == [.milliseconds(50), .milliseconds(60)])
        #expect(script.exchanges[1].replies.isEmpty)
    }

    @Test func requestsInOrderGetTheRecordedBytesDelaysAndSilences() throws {
        let simulator = try simulator()
        let first = try #require(simulator.respond(to: Self.a))
        #expect(first.bytes == [0, 6, 0, 0, 0, 0, 0, 0])
        #expect(first.delay == .milliseconds(50))
        #expect(simulator.respond(to: Self.b) == nil, "recorded silence")
        let third = try #require(simulator.respond(to: Self.c))
        #expect(third.delay == .milliseconds(250))
        #expect(simulator.respond(to: Self.a) == nil, "the script is over")
        #expect(simulator.replayDivergences == 1)
    }

    @Test func aDivergingRequestIsAnsweredAsTheNextEqualRecordedOne() throws {
        let simulator = try simulator()
        let answer = try #require(simulator.respond(to: Self.c), "a and b are skipped")
        #expect(answer.bytes == Array("ABCDEF".utf8) + [0, 0xFF])
        #expect(simulator.replayDivergences == 1)
        #expect(simulator.respond(to: Self.a) == nil, "nothing equal to it follows: silence")
        #expect(simulator.replayDivergences == 2)
    }

    @Test func aLineThatIsNoCaptureLineIsNamed() {
        #expect(throws: SimulatorError.invalidSetting("capture line 2 lacks \"t\", \"dir\" or a valid \"hex\"")) {
            try CaptureScript(text: "{\"capture\":\"aurora-bridge\"}\n{\"t\":1,\"dir\":\"tx\",\"hex\":\"zz\"}\n")
        }
    }
}

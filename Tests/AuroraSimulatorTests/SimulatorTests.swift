import AuroraProtocol
@testable import AuroraSimulator
import Testing

@Suite("Request handling")
struct SimulatorTests {
    typealias F = Fixtures

    private func reply(_ simulator: Simulator, _ request: Request) throws -> Response {
        let transmission = try #require(simulator.respond(to: request.bytes))
        #expect(transmission.delay == .zero)
        return try Response(frame: transmission.bytes)
    }

    @Test func answersTheProtocolSheetsRequestVectors() throws {
        let (simulator, _) = try F.simulator()
        // The request frames of aurora-protocol.md §2.4, byte for byte.
        let vectors = [
            "02 32 00 00 00 00 00 00 ED 69", "02 34 00 00 00 00 00 00 20 31", "02 3A 00 00 00 00 00 00 01 B7",
            "02 3B 01 00 00 00 00 00 FF 2C", "02 3B 03 01 00 00 00 00 ED 2F", "02 3B 15 00 00 00 00 00 E3 7E",
            "02 3F 00 00 00 00 00 00 A2 47", "02 41 00 00 00 00 00 00 CF D0", "02 46 00 00 00 00 00 00 D7 17",
            "02 48 00 00 00 00 00 00 F6 91", "02 4E 00 00 00 00 00 00 3B C9", "02 4E 05 00 00 00 00 00 BC DD",
            "02 56 00 00 00 00 00 00 1E A2", "02 47 22 08 97 CC 00 00 C3 49",
        ]
        for vector in vectors {
            let frame = vector.split(separator: " ").compactMap { UInt8($0, radix: 16) }
            let transmission = try #require(simulator.respond(to: frame), "\(vector)")
            #expect(CRC16.isValid(frame: transmission.bytes), "\(vector)")
            #expect(transmission.bytes.count == 8)
        }
    }

    @Test func everyCommandGetsItsReply() throws {
        let (simulator, clock) = try F.simulator()
        let snapshot = try #require(simulator.snapshot(address: 2))
        #expect(InverterStatus(reply: try reply(simulator, .state(address: 2))) == snapshot.status)
        for type in MeasureType.polled {
            let response = try reply(simulator, .measure(type, address: 2))
            #expect(response.transmissionState.isOK && response.globalState.isRunning)
            #expect(response.float == snapshot.measures[type], "\(type)")
        }
        #expect(try reply(simulator, .measure(.gridPower, global: true, address: 2)).float == 3600)
        for period in EnergyPeriod.allCases {
            #expect(try reply(simulator, .energy(period, address: 2)).uint32 == snapshot.energy[period], "\(period)")
        }
        let time = try reply(simulator, Request(address: 2, command: .readTime)).uint32
        #expect(time == UInt32(clock.now) - 946_684_800)
        #expect(try reply(simulator, Request(address: 2, command: .partNumber)).fullText == "-3G79-")
        #expect(try reply(simulator, Request(address: 2, command: .serialNumber)).fullText == "240002")
        #expect(try reply(simulator, Request(address: 2, command: .version)).dataText == "OENN")
        #expect(try reply(simulator, Request(address: 2, command: .firmware)).dataText == "C016")
        #expect(try reply(simulator, Request(address: 2, command: .manufacturingDate)).dataText == "4612")
        #expect(try reply(simulator, Request(address: 2, command: .lastAlarms)).payload[2...5] == [3, 1, 3, 1])
    }

    @Test func setTimeMovesTheInverterClock() throws {
        let (simulator, clock) = try F.simulator()
        let setReply = try reply(simulator, .setTime(inverterSeconds: 570_988_492, address: 2))
        #expect(setReply.transmissionState.isOK && setReply.globalState.isRunning)
        #expect(try reply(simulator, Request(address: 2, command: .readTime)).uint32 == 570_988_492)
        clock.advance(by: 90)
        #expect(try reply(simulator, Request(address: 2, command: .readTime)).uint32 == 570_988_492 + 90)
        #expect(simulator.clockOffset(address: 2) < 0)
    }

    @Test func onlyConfiguredAddressesAnswer() throws {
        let (simulator, _) = try F.simulator(addresses: [2, 5])
        #expect(simulator.addresses == [2, 5])
        #expect(try reply(simulator, .state(address: 5)).globalState.isRunning)
        #expect(try reply(simulator, Request(address: 5, command: .serialNumber)).fullText == "240005")
        for address: UInt8 in [1, 3, 4, 63] {
            #expect(simulator.respond(to: Request.state(address: address).bytes) == nil)
        }
    }

    @Test func asleepAtNightNothingIsWritten() throws {
        let (simulator, clock) = try F.simulator()
        clock.set(F.sunday + 2 * F.hour)
        #expect(simulator.respond(to: Request.state(address: 2).bytes) == nil)
        #expect(simulator.snapshot(address: 2) == nil)
        clock.set(F.sunday + 5.8 * F.hour)
        #expect(try reply(simulator, .state(address: 2)).globalState.code == 1)
    }

    @Test func unsupportedMeasuresAnswerTransmissionState51() throws {
        let (simulator, _) = try F.simulator()
        try simulator.updateModel(address: 2) { $0.unsupportedMeasures = [.gridNeutralPhaseVoltage] }
        let refused = try reply(simulator, .measure(.gridNeutralPhaseVoltage, address: 2))
        #expect(refused.transmissionState.code == 51)
        #expect(throws: TransmissionError.self) { try refused.checked(for: .measure) }
        #expect(simulator.snapshot(address: 2)?.measures[.gridNeutralPhaseVoltage] == nil)
        #expect(try reply(simulator, .measure(.gridVoltage, address: 2)).transmissionState.isOK)
    }

    @Test func unknownItemsAndCommandsAreRefused() throws {
        let (simulator, _) = try F.simulator()
        #expect(try reply(simulator, .measure(MeasureType(rawValue: 60), address: 2)).transmissionState.code == 52)
        #expect(try reply(simulator, Request(address: 2, command: .cumulatedEnergy, parameters: [2])).transmissionState.code == 52)
        let unknownCommand = CRC16.appending(to: [2, 67, 0, 0, 0, 0, 0, 0])
        let refusal = try Response(frame: try #require(simulator.respond(to: unknownCommand)).bytes)
        #expect(refusal.transmissionState.code == 51)
    }

    @Test func badFramesAreIgnored() throws {
        let (simulator, _) = try F.simulator()
        var frame = Request.state(address: 2).bytes
        frame[9] ^= 0x01
        #expect(simulator.respond(to: frame) == nil)
        #expect(simulator.respond(to: Array(frame.prefix(9))) == nil)
    }

    @Test func recordsWhatWasServed() throws {
        let (simulator, clock) = try F.simulator()
        let request = Request.measure(.gridPower, address: 2)
        #expect(simulator.lastServed(request) == nil)
        _ = try reply(simulator, request)
        clock.advance(by: -3600)
        let expected = try #require(simulator.expectedReply(to: request))
        let second = try reply(simulator, request)
        #expect(second == expected)
        let served = try #require(simulator.lastServed(request))
        #expect(served.response == second && served.time == clock.now && served.fault == nil)
        #expect(simulator.servedLog.count == 2)
        #expect(simulator.servedLog.first?.response.float == 3600)
    }

    @Test func rejectsInvalidConfigurations() {
        let clock = ManualClock(F.sunday)
        #expect(throws: SimulatorError.self) { try Simulator(inverters: [], clock: clock) }
        #expect(throws: SimulatorError.self) { try Simulator(inverters: [F.model(), F.model()], clock: clock) }
        #expect(throws: SimulatorError.self) {
            try Simulator(inverters: [F.model()], clock: clock, faults: FaultSettings(dropRate: 1.5))
        }
    }

    @Test func frameScannerResynchronisesAfterGarbage() {
        var scanner = FrameScanner()
        let first = Request.state(address: 2).bytes
        let second = Request.measure(.gridPower, address: 2).bytes
        scanner.append([0xFF, 0x00, 0x3B] + first.prefix(4))
        #expect(scanner.nextFrame() == nil)
        scanner.append(first.dropFirst(4) + [0x0A] + second)
        #expect(scanner.nextFrame() == first)
        #expect(scanner.nextFrame() == second)
        #expect(scanner.nextFrame() == nil)
        #expect(scanner.discardedByteCount == 4)
    }
}

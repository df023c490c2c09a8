import AuroraProtocol
import Testing

@Suite struct ResponseTests {
    @Test func decodesAFloatMeasure() throws {
        let reply = try Response(frame: [0x00, 0x06, 0x43, 0x72, 0xF2, 0x45, 0x1C, 0x90])
        let checked = try reply.checked(for: .measure)
        #expect(checked.transmissionState.isOK)
        #expect(checked.globalState == .run)
        #expect(checked.float == Float(bitPattern: 0x4372_F245))
        #expect(checked.float.description == "242.94637")
    }

    @Test func decodesAnEnergyCounter() throws {
        let reply = try Response(frame: [0x00, 0x06, 0x00, 0x00, 0x21, 0xBC, 0x1B, 0x89])
        #expect(try reply.checked(for: .cumulatedEnergy).uint32 == 8636)
    }

    @Test func rejectsABadCRC() {
        let frame: [UInt8] = [0x00, 0x06, 0x43, 0x72, 0xF2, 0x45, 0x1C, 0x91]
        #expect(throws: FrameError.crcMismatch(frame: frame)) { try Response(frame: frame) }
    }

    @Test func rejectsShortFrames() {
        #expect(throws: FrameError.wrongLength(expected: 8, received: 5)) {
            try Response(frame: [0x00, 0x06, 0x43, 0x72, 0xF2])
        }
    }

    @Test func encodesWhatItDecodes() throws {
        let reply = Response(globalState: 6, data: [0x43, 0x72, 0xF2, 0x45])
        #expect(reply.bytes.hexString == "00 06 43 72 F2 45 1C 90")
        #expect(try Response(frame: reply.bytes) == reply)
    }

    @Test(arguments: [UInt8(51), 52])
    func notSupportedStatesAreFlagged(code: UInt8) {
        let reply = Response(transmissionState: code, globalState: 6, data: [0x43, 0x72, 0xF2, 0x45])
        #expect {
            _ = try reply.checked(for: .measure)
        } throws: { error in
            (error as? TransmissionError)?.isNotSupported == true
        }
    }

    @Test(arguments: [UInt8(53), 54, 55, 56, 57, 58, 200])
    func otherStatesAreErrorsAndNeverDecoded(code: UInt8) {
        let reply = Response(transmissionState: code, globalState: 6, data: [0, 0, 0x21, 0xBC])
        #expect(throws: TransmissionError(command: .cumulatedEnergy, state: TransmissionState(code: code))) {
            try reply.checked(for: .cumulatedEnergy)
        }
    }

    @Test func retryableStateIsFlagged() {
        #expect(TransmissionState(code: 58).isRetryable)
        #expect(!TransmissionState(code: 57).isRetryable)
        #expect(TransmissionState(code: 99).description == "unknown (99) (99)")
    }

    @Test func partAndSerialNumbersUseAllSixBytesWithoutStateCheck() throws {
        let reply = Response(payload: Array("-3G79-".utf8))
        let checked = try reply.checked(for: .partNumber)
        #expect(checked.fullText == "-3G79-")
        // Byte 0 would read as transmission state 45 for other commands.
        #expect(throws: TransmissionError.self) { try reply.checked(for: .version) }
    }

    @Test func nonASCIIIdentityBytesAreReplacedNotFatal() throws {
        let reply = Response(payload: [0x31, 0xC3, 0x28, 0xFF, 0x35, 0x00])
        #expect(try reply.checked(for: .serialNumber).fullText == "1\u{FFFD}(\u{FFFD}5")
    }

    @Test func decodesIdentityReplies() {
        #expect(VersionInfo(reply: Response(globalState: 6, data: Array("OENN".utf8))).description
            == "PVI-3.6-OUTD, VDE0126 (DE), transformerless, photovoltaic")
        #expect(VersionInfo(code: "?ENN").model == "unknown (?)")
        #expect(FirmwareRelease(reply: Response(globalState: 6, data: Array("C016".utf8))).description == "C.0.1.6")
        let date = ManufactureDate(reply: Response(globalState: 6, data: Array("4612".utf8)))
        #expect(date.week == 46 && date.year == 2012)
        #expect(date.description == "week 46 of 2012")
        #expect(ManufactureDate(reply: Response(globalState: 6, data: [0xFF, 0x31, 0x32, 0x33])).week == nil)
    }

    @Test func decodesTheStateReply() {
        let status = InverterStatus(reply: Response(globalState: 6, data: [2, 2, 0, 1]))
        #expect(status.global.description == "Run")
        #expect(status.inverter.description == "Run")
        #expect(status.dcdc1.description == "MPPT")
        #expect(status.dcdc2.description == "DC/DC off")
        #expect(status.alarm.description == "Sun low (W001)")
        #expect(status.reply == Response(globalState: 6, data: [2, 2, 0, 1]))
    }

    @Test func decodesTheAlarmHistory() {
        let history = AlarmHistory(reply: Response(globalState: 6, data: [0, 1, 33, 38]))
        #expect(history.alarms.map(\.code) == [0, 1, 33, 38])
        #expect(history.alarms[3].description == "Riso low (E025)")
    }
}

import AuroraProtocol
import Testing

@Suite struct RequestTests {
    /// The worked request frames of the fact sheet (§2.4), address 2.
    static let vectors: [(Request, String)] = [
        (.state(address: 2), "02 32 00 00 00 00 00 00 ED 69"),
        (Request(address: 2, command: .partNumber), "02 34 00 00 00 00 00 00 20 31"),
        (Request(address: 2, command: .version), "02 3A 00 00 00 00 00 00 01 B7"),
        (.measure(.gridVoltage, address: 2), "02 3B 01 00 00 00 00 00 FF 2C"),
        (.measure(.gridPower, global: true, address: 2), "02 3B 03 01 00 00 00 00 ED 2F"),
        (.measure(.inverterTemperature, address: 2), "02 3B 15 00 00 00 00 00 E3 7E"),
        (Request(address: 2, command: .serialNumber), "02 3F 00 00 00 00 00 00 A2 47"),
        (Request(address: 2, command: .manufacturingDate), "02 41 00 00 00 00 00 00 CF D0"),
        (Request(address: 2, command: .readTime), "02 46 00 00 00 00 00 00 D7 17"),
        (Request(address: 2, command: .firmware), "02 48 00 00 00 00 00 00 F6 91"),
        (.energy(.day, address: 2), "02 4E 00 00 00 00 00 00 3B C9"),
        (.energy(.total, address: 2), "02 4E 05 00 00 00 00 00 BC DD"),
        (Request(address: 2, command: .lastAlarms), "02 56 00 00 00 00 00 00 1E A2"),
        (.setTime(inverterSeconds: 570_988_492, address: 2), "02 47 22 08 97 CC 00 00 C3 49"),
    ]

    @Test(arguments: 0..<vectors.count)
    func encodesTheFactSheetFrame(index: Int) {
        let (request, hex) = Self.vectors[index]
        #expect(request.bytes.hexString == hex)
    }

    @Test(arguments: 0..<vectors.count)
    func decodesItsOwnFrame(index: Int) throws {
        let request = Self.vectors[index].0
        #expect(try Request(frame: request.bytes) == request)
    }

    @Test func rejectsShortBadAndUnknownFrames() {
        #expect(throws: FrameError.wrongLength(expected: 10, received: 3)) {
            try Request(frame: [0x02, 0x32, 0x00])
        }
        var corrupted = Request.state(address: 2).bytes
        corrupted[9] ^= 0xFF
        #expect(throws: FrameError.crcMismatch(frame: corrupted)) { try Request(frame: corrupted) }
        let unknown = CRC16.appending(to: [0x02, 0x63, 0, 0, 0, 0, 0, 0])
        #expect(throws: FrameError.unknownCommand(0x63)) { try Request(frame: unknown) }
    }
}

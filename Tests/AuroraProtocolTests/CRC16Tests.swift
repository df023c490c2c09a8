import AuroraProtocol
import Testing

@Suite struct CRC16Tests {
    @Test func checkValue() {
        #expect(CRC16.x25(Array("123456789".utf8)) == 0x906E)
    }

    @Test func emptyInputIsZero() {
        #expect(CRC16.x25([UInt8]()) == 0x0000)
    }

    @Test func goodReplyLeavesTheX25Residue() throws {
        let frame: [UInt8] = [0x00, 0x06, 0x43, 0x72, 0xF2, 0x45, 0x1C, 0x90]
        // Without the final XOR the register over all 8 bytes equals 0xF0B8.
        #expect(~CRC16.x25(frame) == 0xF0B8)
        #expect(CRC16.isValid(frame: frame))
    }

    @Test func corruptedReplyIsInvalid() {
        #expect(!CRC16.isValid(frame: [0x00, 0x06, 0x43, 0x72, 0xF2, 0x45, 0x1C, 0x91]))
        #expect(!CRC16.isValid(frame: [0x1C]))
    }
}

import AuroraProtocol
import FuzzDriver
import Glibc

/// The fuzz target: libFuzzer calls ``test(_:_:)`` with each input.
@main
enum FuzzResponse {
    static func main() {
        exit(FuzzDriver.run { start, count in
            guard let start else { return 0 }
            return test(start, count)
        })
    }
}

/// every 8-byte window of the input decoded as an inverter reply, and
/// every decoded reply read in each way the bridge reads replies. Nothing may trap.
@_cdecl("LLVMFuzzerTestOneInput")
func test(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    guard bytes.count >= Response.length else {
        _ = try? Response(frame: bytes)
        return 0
    }
    for offset in 0...(bytes.count - Response.length) {
        guard let reply = try? Response(frame: bytes[offset..<offset + Response.length]) else { continue }
        precondition(reply.bytes == Array(bytes[offset..<offset + Response.length]), "a decoded reply re-encodes differently")
        _ = reply.description
        _ = (reply.transmissionState.description, reply.globalState.description)
        _ = (reply.float, reply.uint32, reply.dataText, reply.fullText)
        _ = (ManufactureDate(reply: reply).description, FirmwareRelease(reply: reply).description)
        _ = (AlarmHistory(reply: reply), VersionInfo(reply: reply).description, InverterStatus(reply: reply))
        for command in Command.allCases {
            _ = try? reply.checked(for: command)
        }
    }
    return 0
}

import AuroraLink
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

/// Tests one input: every 8-byte window of it decoded as an inverter reply, and
/// every decoded reply read in each way the bridge reads replies; then the whole input as the
/// byte stream the link receives, through its ``ReplyScanner``, in one piece and in chunks the
/// input itself chooses (as reads on a slow line would cut it). Nothing may trap, and the
/// chunking must not change what is found.
@_cdecl("LLVMFuzzerTestOneInput")
func test(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    scanStream(bytes)
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

/// The link's scanner over `bytes`: every byte ends up in a frame, stray or pending, and reading
/// in chunks finds the same frames as reading all at once.
func scanStream(_ bytes: [UInt8]) {
    let whole = ReplyScanner.scan(bytes)
    precondition(
        whole.frames.count * Response.length + whole.strayBytes + whole.pendingBytes == bytes.count,
        "every byte is a frame's, stray or pending")
    precondition(whole.pendingBytes < Response.length, "a complete window is never left pending")
    var scanner = ReplyScanner()
    var frames: [Response] = []
    var offset = 0
    var chunk = 1
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        scanner.append(bytes[offset..<end])
        while let frame = scanner.nextFrame() { frames.append(frame) }
        chunk = Int(bytes[offset] % 11) + 1
        offset = end
    }
    precondition(frames.map(\.bytes) == whole.frames.map(\.bytes), "chunked reads find other frames")
    precondition(scanner.strayByteCount == whole.strayBytes && scanner.pendingByteCount == whole.pendingBytes)
}

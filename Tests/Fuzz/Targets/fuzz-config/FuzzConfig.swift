import AuroraBridge
import FuzzDriver
import Glibc

/// The fuzz target: libFuzzer calls ``test(_:_:)`` with each input.
@main
enum FuzzConfig {
    static func main() {
        exit(FuzzDriver.run { start, count in
            guard let start else { return 0 }
            return test(start, count)
        })
    }
}

/// the input as `bridge.conf` text. Parsing must throw or return, never
/// trap; a configuration that parses must print an effective configuration that parses back to
/// an equal one. Secret files are never opened.
@_cdecl("LLVMFuzzerTestOneInput")
func test(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let configuration: BridgeConfiguration
    do {
        configuration = try BridgeConfiguration.parse(text, file: "fuzz.conf", environment: [:], secretFiles: .refused)
    } catch {
        _ = error.description
        return 0
    }
    let effective = configuration.effectiveTOML
    do {
        let again = try BridgeConfiguration.parse(effective, file: "effective.conf", environment: [:], secretFiles: .refused)
        precondition(again == configuration, "the effective configuration parses to another configuration:\n\(effective)")
    } catch {
        preconditionFailure("the effective configuration does not parse: \(error)\n\(effective)")
    }
    return 0
}

import Foundation
import FuzzDriver
import Glibc

@testable import AuroraBridge

/// The fuzz target: libFuzzer calls ``test(_:_:)`` with each input.
@main
enum FuzzSummaryBlob {
    static func main() {
        exit(FuzzDriver.run { start, count in
            guard let start else { return 0 }
            return test(start, count)
        })
    }
}

/// the input, after a first byte that sets the record count, decoded as
/// an archive summary blob. A blob that decodes must re-encode to one that decodes to the same
/// fields (compared as encoded bytes, so NaN payloads count as equal only when their bits are).
@_cdecl("LLVMFuzzerTestOneInput")
func test(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let recordCount = Int(start.pointee)
    let blob = Data(UnsafeBufferPointer(start: start + 1, count: count - 1))
    guard let fields = try? SummaryBlob.decode(blob, recordCount: recordCount) else { return 0 }
    let encoded = SummaryBlob.encode(fields, recordCount: recordCount)
    do {
        let again = try SummaryBlob.decode(encoded, recordCount: recordCount)
        precondition(
            SummaryBlob.encode(again, recordCount: recordCount) == encoded, "a decoded blob does not survive re-encoding")
    } catch {
        preconditionFailure("a re-encoded blob does not decode: \(error)")
    }
    return 0
}

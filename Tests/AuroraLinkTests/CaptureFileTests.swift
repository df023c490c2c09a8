import AuroraLink
import AuroraTestSupport
import Foundation
import Testing

@Suite("Capture file")
struct CaptureFileTests {
    private func lines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func linesCarryTimeDirectionHexAndTheVerdict() throws {
        let directory = try TemporaryDirectory("capture-file")
        let path = directory.file("c.jsonl")
        let capture = try CaptureFile(path: path, version: "9.9.9", port: "/dev/ttyUSB0", baudRate: 19200)
        let start = ContinuousClock.now
        capture.sent([0x02, 0x32, 0xAB], at: start)
        capture.received([0x00, 0x06], at: start + .milliseconds(20))
        capture.received([0xFF], at: start + .milliseconds(25))
        capture.judged(.crc)
        capture.sent([0x02, 0x3B], at: start + .milliseconds(100))
        capture.received([0x01], at: start + .milliseconds(120))
        capture.judged(.accepted)
        capture.received([0x07], at: start + .milliseconds(200))
        capture.sent([0x02], at: start + .milliseconds(300))
        capture.close()

        let all = try lines(path)
        #expect(all.count == 8)
        #expect(all[0]["version"] as? String == "9.9.9")
        #expect(all[0]["port"] as? String == "/dev/ttyUSB0")
        #expect(all[0]["baud"] as? Int == 19200)
        #expect(all[1]["dir"] as? String == "tx")
        #expect(all[1]["hex"] as? String == "0232ab")
        #expect(all[2]["hex"] as? String == "0006")
        #expect(all[2]["accepted"] as? Bool == false)
        #expect(all[2]["reason"] as? String == "crc")
        #expect(all[3]["reason"] as? String == "crc")
        #expect(all[5]["accepted"] as? Bool == true)
        #expect(all[5]["reason"] == nil)
        #expect(all[6]["reason"] as? String == "flushed", "bytes nobody judged before the next request")
        let times = all.dropFirst().compactMap { $0["t"] as? Double }
        #expect(times == times.sorted())
        #expect(abs(times[1] - times[0] - 0.02) < 0.0001)
    }

    @Test func capturingStopsAtTheLimit() throws {
        let directory = try TemporaryDirectory("capture-limit")
        let path = directory.file("c.jsonl")
        let capture = try CaptureFile(path: path, version: "1", port: "p", baudRate: 19200, limit: 400)
        for _ in 0..<100 { capture.sent(Array(repeating: 0x55, count: 10), at: .now) }
        capture.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size <= 400)
        #expect(size > 300, "it captures up to the limit")
        #expect(try lines(path).count > 2)
    }

    @Test func aFileThatCannotBeCreatedIsReported() {
        #expect(throws: CaptureError.self) {
            try CaptureFile(path: "/nonexistent-dir/c.jsonl", version: "1", port: "p", baudRate: 19200)
        }
    }
}

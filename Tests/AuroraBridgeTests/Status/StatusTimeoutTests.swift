import AuroraTestSupport
import Foundation
import Testing

/// Connections that hold the status server without finishing a request: closed after 10 s, and
/// never in the way of the poller or the MQTT publishing. Wall-clock bounds: run one at a time
/// (TIMED_SUITES in the Makefile).
@Suite struct StatusTimeoutTests {
    @Test func idleAndSlowlySendingConnectionsAreClosedAfterTenSeconds() async throws {
        try await withStatusBridge { fixture in
            let opened = ContinuousClock.now
            let idle = try RawConnection(port: fixture.port)
            let slow = try RawConnection(port: fixture.port)
            // A finished request keeps its connection open for the next one only as long.
            let kept = try RawConnection(port: fixture.port)
            kept.send("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n")
            // A byte a second, never finishing the head.
            let trickle = Task {
                for byte in "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa".map(String.init) {
                    guard slow.send(byte) else { return }
                    try await Task.sleep(for: .seconds(1))
                }
            }
            defer { trickle.cancel() }
            func closing(_ connection: RawConnection) async throws -> (bytes: [UInt8], after: Duration) {
                let bytes = try await connection.readUntilClosed(timeout: .seconds(20))
                return (bytes, ContinuousClock.now - opened)
            }
            async let idleClosed = closing(idle)
            async let slowClosed = closing(slow)
            async let keptClosed = closing(kept)
            let results = [("idle", try await idleClosed), ("slow", try await slowClosed), ("kept alive", try await keptClosed)]
            for (what, result) in results {
                #expect(result.after >= .seconds(9.9) && result.after <= .seconds(14), "\(what) connection closed after \(result.after)")
            }
            #expect(results[0].1.bytes.isEmpty && results[1].1.bytes.isEmpty, "closed without an answer")
            #expect(String(decoding: results[2].1.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func twoHundredHalfHeadersStopNeitherThePollerNorThePublishing() async throws {
        try await withStatusBridge(pollInterval: 0.5) { fixture in
            let before = fixture.loopPackets().count
            let flood = ContinuousClock.now
            var connections: [RawConnection] = []
            for _ in 0..<200 {
                let connection = try RawConnection(port: fixture.port)
                connection.send("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: half")
                connections.append(connection)
            }
            // While the flood holds every connection the server admits, the bridge polls and publishes.
            try await Task.sleep(until: flood + .seconds(8), clock: .continuous)
            let during = fixture.loopPackets().dropFirst(before)
            #expect(during.count >= 8, "\(during.count) loop packets in 8 s at a 0.5 s poll")
            let times = during.compactMap { $0["dateTime"] as? Int }
            let longestGap = zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? 0
            #expect(longestGap <= 3, "no gap in the packets' times: longest \(longestGap) s")
            // The flood ends by itself: the 16 admitted are closed after 10 s, the rest at once.
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for connection in connections {
                    group.addTask { try await connection.readUntilClosed(timeout: .seconds(20)).count }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.count == 200)
            #expect(ContinuousClock.now - flood <= .seconds(20))
            let page = try await RawResponse.request("GET", "/", port: fixture.port)
            #expect(page.status == 200)
            try await expectStillPolling(fixture)
        }
    }
}

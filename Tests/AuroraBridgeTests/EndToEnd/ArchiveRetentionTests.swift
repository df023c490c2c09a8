import AuroraBridge
import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

extension ArchiveEndToEnd {
    /// `[archive] keep_days`: the running bridge prunes old delivered records, never undelivered ones.
    @Suite struct RetentionTests {
        static func record(_ inverter: String, at dateTime: Int64) -> ArchiveRecord {
            var accumulator = IntervalAccumulator(
                first: LoopPacket(inverter: inverter, dateTime: dateTime, fields: [LoopField(name: "gridPower", value: .float(500))]),
                interval: try! ArchiveInterval(seconds: 300))
            accumulator.add(LoopPacket(inverter: inverter, dateTime: dateTime - 100, fields: [LoopField(name: "gridPower", value: .float(700))]))
            return accumulator.record()
        }

        @Test func deliveredRecordsOlderThanKeepDaysArePrunedUndeliveredOnesKept() async throws {
            let directory = try TemporaryDirectory("archive-retention")
            let bus = try SimulatedBus.pseudoTerminal()
            defer { bus.stop() }
            // No broker: nothing gets delivered while the test runs.
            var configuration = TestBridgeConfiguration(
                brokerPort: Int(FreePort.loopback()), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.archiveInterval = 1
            configuration.keepDays = 30
            let now = Int64(Date().timeIntervalSince1970) / 300 * 300
            let day: Int64 = 86_400
            let oldDelivered = Self.record("roof", at: now - 31 * day)
            let oldUndelivered = Self.record("roof", at: now - 31 * day + 300)
            let recentDelivered = Self.record("roof", at: now - 29 * day)
            let store = try ArchiveStore(path: configuration.database)
            for record in [oldDelivered, oldUndelivered, recentDelivered] { try await store.insert(record) }
            for record in [oldDelivered, recentDelivered] {
                try await store.markDelivered(inverter: record.inverter, dateTime: record.dateTime)
            }

            try await withBridge(try parse(configuration)) {
                try await Deadline.until("the old delivered record to be pruned", timeout: .seconds(10), interval: .milliseconds(50)) {
                    try await store.records(to: now - 28 * day).count < 3
                }
            }

            let kept = try await store.records(to: now - 28 * day)
            #expect(kept == [oldUndelivered, recentDelivered])
            #expect(try await store.undelivered(limit: 10).first == oldUndelivered)
        }
    }
}

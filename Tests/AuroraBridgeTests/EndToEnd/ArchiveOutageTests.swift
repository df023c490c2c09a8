import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

extension ArchiveEndToEnd {
    /// The broker goes away for several archive intervals and comes back.
    ///
    /// The broker is stopped between two records, once the last one is acknowledged, and
    /// everything runs at QoS 2 with persistent sessions: a message in flight at the moment a
    /// connection breaks may legitimately arrive twice at QoS 1 (MQTT's "at least once"), and
    /// this test is about the bridge never publishing a record twice by itself.
    @Suite struct OutageTests {
        @Test func aBrokerOutageDelaysRecordsButLosesNoneAndSendsNoneTwice() async throws {
            let directory = try TemporaryDirectory("archive-outage")
            let broker = try await ArchiveBench.persistentBroker(in: directory)
            let bus = try SimulatedBus.pseudoTerminal()
            defer { bus.stop() }
            var configuration = TestBridgeConfiguration(
                brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.archiveInterval = 1
            configuration.qos = 2
            let store = try ArchiveStore(path: configuration.database)
            let subscriber = try await ArchiveBench.persistentSubscriber(to: broker, filter: "aurora/roof/archive/#", qos: .exactlyOnce)
            var outage: ClosedRange<Int64> = 0...0

            try await withBridge(try parse(configuration)) {
                try await Deadline.until("two records delivered", timeout: .seconds(15), interval: .milliseconds(50)) {
                    try ArchiveBench.liveRecordTimes(subscriber).count >= 2
                }
                // Stop the broker just after a record arrived and was acknowledged.
                let seen = try ArchiveBench.liveRecordTimes(subscriber).count
                try await Deadline.until("another record, acknowledged", timeout: .seconds(5)) {
                    let undelivered = try await store.undeliveredCount()
                    return try ArchiveBench.liveRecordTimes(subscriber).count > seen && undelivered == 0
                }
                try await broker.stop()
                let stopped = Int64(Date().timeIntervalSince1970)
                try await Deadline.until("three records stored during the outage", timeout: .seconds(15), interval: .milliseconds(50)) {
                    try await store.records(from: stopped + 1).count >= 3
                }
                #expect(try await store.undeliveredCount() >= 3, "the outage's records wait in the store")
                try await broker.start()
                let restarted = Int64(Date().timeIntervalSince1970)
                outage = (stopped + 1)...restarted
                try await Deadline.until("the store's backlog to empty after the outage", timeout: .seconds(20), interval: .milliseconds(50)) {
                    let delivered = try await store.records(from: restarted + 1)
                    return try await store.undeliveredCount() == 0 && !delivered.isEmpty
                }
            }

            // Every stored record reached the subscriber once, in order: those of the outage too.
            let stored = try await store.records()
            try await Deadline.until("the subscriber to receive every stored record", timeout: .seconds(10)) {
                Set(try ArchiveBench.liveRecordTimes(subscriber)).isSuperset(of: stored.map(\.dateTime))
            }
            let live = try ArchiveBench.liveRecords(subscriber)
            let times = live.compactMap { $0.integer("dateTime") }
            #expect(times.count == live.count && zip(times, times.dropFirst()).allSatisfy { $0 < $1 }, "in order, none twice: \(times)")
            #expect(times == stored.map(\.dateTime), "none missing")
            #expect(stored.filter { outage.contains($0.dateTime) }.count >= 3)
            let differing = zip(live, stored).filter { $0.description != $1.payload() }.map(\.1.dateTime)
            #expect(differing.isEmpty, "published as stored")
            let power = subscriber.messages(on: "aurora/roof/archive/gridPower").filter { !$0.retain }.map(\.text)
            #expect(power == stored.map { $0["gridPower"]!.value.description }, "each field's topic once per record")
            #expect(try await store.undeliveredCount() == 0)
        }
    }
}

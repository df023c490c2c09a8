import AuroraBridge
import AuroraTestSupport
import Foundation
import Mosquitto
import Testing

/// The archive's delivery window against an in-memory output and a real SQLite store.
@Suite struct ArchiveOutboxTests {
    /// An outbox running on `output`, attached to `store`; `body` runs while it does.
    private func withOutbox<T>(
        _ output: InMemoryOutput, store: ArchiveStore, records: Int = 32, queueLimit: Int = 10_000,
        _ body: (ArchiveOutbox) async throws -> T
    ) async throws -> T {
        let outbox = ArchiveOutbox(output: output, records: records, queueLimit: queueLimit, retryInterval: .seconds(3_600))
        let running = Task { await outbox.run() }
        defer { running.cancel() }
        await outbox.attach(store: store, publisher: try DeliveryFixture.publisher(output))
        return try await body(outbox)
    }

    /// Acknowledges everything published until `done`.
    private func acknowledge(_ output: InMemoryOutput, until what: String, _ done: @escaping @Sendable () async throws -> Bool) async throws {
        try await Deadline.until(what, timeout: .seconds(60), interval: .milliseconds(1)) {
            output.acknowledgeNew()
            return try await done()
        }
    }

    @Test func aBacklogOfMoreMessagesThanTheIdSpaceArrivesCompleteWithNoIdInFlightTwice() async throws {
        try await withTemporaryDirectory { folder in
            let records = try DeliveryFixture.records(2_000, fields: 33)  // 34 messages each: 68 000
            let store = try await DeliveryFixture.store(in: folder, holding: records)
            let output = InMemoryOutput(connected: true, firstID: 60_000)
            try await withOutbox(output, store: store) { outbox in
                try await acknowledge(output, until: "the whole backlog to be delivered") { try await store.undeliveredCount() == 0 }
                #expect(await outbox.status.inFlight == 0)
            }
            let messages = output.messages
            #expect(messages.count == records.count * 34, "every record once, nothing twice")
            #expect(messages.count > 65_535)
            let summaries = messages.filter { $0.topic == "aurora/inverter/archive" }
            #expect(summaries.count == records.count)
            #expect(summaries.allSatisfy { $0.qos == .atLeastOnce && $0.retain })
        }
    }

    @Test func onlyRecordsWhoseEveryMessageWasAcknowledgedAreMarkedDelivered() async throws {
        try await withTemporaryDirectory { folder in
            let records = try DeliveryFixture.records(10, fields: 2)  // 3 messages each
            let store = try await DeliveryFixture.store(in: folder, holding: records)
            let output = InMemoryOutput(connected: true)
            try await withOutbox(output, store: store, records: 4) { _ in
                #expect(output.messages.count == 12, "four records in flight, no more")
                for message in output.messages.prefix(7) { output.acknowledge(message.id) }
                try await Deadline.until("two records to be marked", timeout: .seconds(20)) { try await store.undeliveredCount() == 8 }
                // The window refills with records 4 and 5; acknowledging all of record 4 comes
                // after record 2's first acknowledgement, so once record 4 is marked that one has
                // been handled too. Record 2's last messages and record 3's are still due.
                try await Deadline.until("the window to refill", timeout: .seconds(20)) { output.messages.count == 18 }
                for message in output.messages[12..<15] { output.acknowledge(message.id) }
                try await Deadline.until("record 4 to be marked", timeout: .seconds(20)) { try await store.undeliveredCount() == 7 }
                #expect(try await store.undelivered(limit: 2) == [records[2], records[3]])
            }
        }
    }

    @Test func aReloadHandsTheRecordsInFlightOverInsteadOfPublishingThemAgain() async throws {
        try await withTemporaryDirectory { folder in
            let records = try DeliveryFixture.records(5)
            let store = try await DeliveryFixture.store(in: folder, holding: records)
            let output = InMemoryOutput(connected: true)
            try await withOutbox(output, store: store) { outbox in
                #expect(output.messages.count == 15)
                // The next run attaches to the same outbox, with a new publisher.
                await outbox.attach(store: store, publisher: try DeliveryFixture.publisher(output))
                #expect(output.messages.count == 15, "nothing published again")
                try await acknowledge(output, until: "every record to be delivered") { try await store.undeliveredCount() == 0 }
                #expect(output.messages.count == 15)
            }
        }
    }

    @Test func aReconnectLeavesTheRecordsInFlightToLibmosquitto() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await DeliveryFixture.store(in: folder, holding: try DeliveryFixture.records(3))
            let output = InMemoryOutput(connected: true)
            try await withOutbox(output, store: store) { _ in
                output.drop()
                output.connect(sessionPresent: false)
                // Events are handled in order: once record 0 is marked, the connect was handled.
                for message in output.messages.prefix(3) { output.acknowledge(message.id) }
                try await Deadline.until("record 0 to be marked", timeout: .seconds(20)) { try await store.undeliveredCount() == 2 }
                #expect(output.messages.count == 9, "libmosquitto sends its queued messages again itself")
                try await acknowledge(output, until: "every record to be delivered") { try await store.undeliveredCount() == 0 }
            }
        }
    }

    @Test func aRejectedRecordStaysUndeliveredAndGoesAgainOnTheNextConnect() async throws {
        try await withTemporaryDirectory { folder in
            let records = try DeliveryFixture.records(2)
            let store = try await DeliveryFixture.store(in: folder, holding: records)
            let output = InMemoryOutput(connected: true)
            try await withOutbox(output, store: store) { _ in
                let first = output.messages
                output.reject(first[0].id)
                for message in first.dropFirst() { output.acknowledge(message.id) }
                try await Deadline.until("the accepted record to be marked", timeout: .seconds(20)) { try await store.undeliveredCount() == 1 }
                #expect(try await store.undelivered(limit: 5) == [records[0]])
                output.connect()
                try await Deadline.until("the rejected record to be sent again", timeout: .seconds(20)) { output.messages.count == 9 }
                try await acknowledge(output, until: "the rejected record to be delivered") { try await store.undeliveredCount() == 0 }
            }
        }
    }

    @Test func nothingIsSentWhileDisconnectedAndTheBacklogGoesOnConnect() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await DeliveryFixture.store(in: folder, holding: try DeliveryFixture.records(3))
            let output = InMemoryOutput(connected: false)
            try await withOutbox(output, store: store) { _ in
                #expect(output.messages.isEmpty)
                output.connect()
                try await acknowledge(output, until: "the backlog to be delivered") { try await store.undeliveredCount() == 0 }
                #expect(output.messages.count == 9)
            }
        }
    }

    @Test func whileAnotherConnectionHoldsTheWriteLockRecordsArePublishedFromMemoryAndStoredWithTheirMarkAfterwards() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await DeliveryFixture.store(in: folder, holding: [], busyTimeout: .milliseconds(200))
            let lock = try WriteLock(path: store.path)
            let records = try DeliveryFixture.records(3)
            let output = InMemoryOutput(connected: true)
            try await withOutbox(output, store: store) { outbox in
                try lock.take()
                for record in records { await outbox.submit(record) }
                try await Deadline.until("live data not to wait for the archive", timeout: .seconds(20)) { output.messages.count == 9 }
                #expect(await outbox.status == .init(degraded: true, queued: 3, dropped: 0, inFlight: 3))
                output.acknowledgeNew()
                try await Deadline.until("the acknowledgements to be handled", timeout: .seconds(20)) { await outbox.status.inFlight == 0 }
                await outbox.retry()
                #expect(await outbox.status.queued == 3, "still locked")
                #expect(await outbox.takeHealthChanges() == [true], "degraded once, however often it failed")
                try lock.release()
                await outbox.flush()
                #expect(await outbox.status == .init(degraded: false, queued: 0, dropped: 0, inFlight: 0))
                #expect(await outbox.takeHealthChanges() == [false], "then recovered")
                #expect(await outbox.takeHealthChanges().isEmpty, "each turn is taken once")
            }
            #expect(try await store.records() == records)
            #expect(try await store.undeliveredCount() == 0, "written with their delivered mark")
            #expect(output.messages.count == 9, "none published twice")
        }
    }

    @Test func whenTheQueueIsFullTheOldestRecordIsDroppedAndCounted() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await DeliveryFixture.store(in: folder, holding: [], busyTimeout: .milliseconds(100))
            let lock = try WriteLock(path: store.path)
            let records = try DeliveryFixture.records(3)
            let output = InMemoryOutput(connected: false)
            try await withOutbox(output, store: store, queueLimit: 2) { outbox in
                try lock.take()
                for record in records { await outbox.submit(record) }
                #expect(await outbox.status.queued == 2)
                #expect(await outbox.status.dropped == 1)
                try await Deadline.until("the write to fail", timeout: .seconds(20)) { await outbox.status.degraded }
                try lock.release()
                await outbox.flush()
            }
            let stored = try await store.records().map(\.dateTime)
            #expect(stored == records.dropFirst().map(\.dateTime), "\(stored) \(records.map(\.dateTime))")
        }
    }
}

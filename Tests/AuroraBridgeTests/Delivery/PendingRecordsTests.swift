import AuroraBridge
import Testing

@Suite struct PendingRecordsTests {
    @Test func atTheBoundTheOldestDeliveredRecordGoesFirstThenTheOldest() throws {
        let records = try DeliveryFixture.records(5)
        var queue = PendingRecords(limit: 3)
        for record in records.prefix(3) { #expect(queue.append(record) == nil) }
        queue.markDelivered(ArchiveKey(records[1]))
        let firstDropped = queue.append(records[3])
        let first = try #require(firstDropped)
        #expect(first.record == records[1] && first.delivered, "the delivered one: only its local copy is lost")
        let secondDropped = queue.append(records[4])
        let second = try #require(secondDropped)
        #expect(second.record == records[0] && !second.delivered, "then the oldest")
        #expect(queue.entries.map(\.record) == [records[2], records[3], records[4]])
    }

    @Test func aRecordQueuedAgainReplacesTheWaitingOne() throws {
        let records = try DeliveryFixture.records(1)
        var queue = PendingRecords(limit: 1)
        #expect(queue.append(records[0]) == nil)
        #expect(queue.append(records[0]) == nil)
        #expect(queue.count == 1)
    }
}

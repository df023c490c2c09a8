import AuroraBridge
import Mosquitto
import Testing

@Suite struct DeliveryWindowTests {
    private func ids(_ values: Int...) -> [MessageID] { values.map { MessageID(rawValue: $0) } }

    @Test func aRecordIsCompleteOnlyOnceEveryOneOfItsIdsIsAcknowledged() {
        var window = DeliveryWindow<String>(records: 4, messages: 100)
        #expect(window.register("a", ids: ids(1, 2, 3)).isEmpty)
        #expect(window.acknowledge(MessageID(rawValue: 2)) == .pending("a"))
        #expect(window.acknowledge(MessageID(rawValue: 1)) == .pending("a"))
        #expect(window.contains("a"))
        #expect(window.acknowledge(MessageID(rawValue: 3)) == .complete("a"))
        #expect(window.isEmpty)
        #expect(window.acknowledge(MessageID(rawValue: 3)) == .unknown, "a second acknowledgement completes nothing")
    }

    @Test func roomIsBoundedInRecordsAndMessagesButAnEmptyWindowTakesAnyRecord() {
        var window = DeliveryWindow<Int>(records: 2, messages: 5)
        #expect(window.hasRoom(forMessages: 50), "a record larger than the message bound still goes alone")
        window.register(1, ids: ids(1, 2, 3))
        #expect(window.hasRoom(forMessages: 2))
        #expect(!window.hasRoom(forMessages: 3))
        window.register(2, ids: ids(4))
        #expect(!window.hasRoom(forMessages: 1), "two records in flight")
        _ = window.acknowledge(MessageID(rawValue: 4))
        #expect(window.hasRoom(forMessages: 2))
        #expect(window.messageCount == 3 && window.recordCount == 1)
    }

    @Test func anIdHandedOutAgainWhileInFlightGivesUpBothRecordsAndItsAcknowledgementsCompleteNothing() {
        var window = DeliveryWindow<String>(records: 8, messages: 100)
        window.register("old", ids: ids(7, 8))
        let givenUp = window.register("new", ids: ids(9, 7))
        #expect(Set(givenUp) == ["old", "new"])
        #expect(!window.contains("old") && !window.contains("new"))
        // The acknowledgements still due: 7 twice, 8 and 9 once; none completes a record.
        for id in [7, 8, 9, 7] { #expect(window.acknowledge(MessageID(rawValue: id)) == .unknown) }
        #expect(window.isEmpty)
        // Once they are in, the ids are free again.
        window.register("later", ids: ids(7))
        #expect(window.acknowledge(MessageID(rawValue: 7)) == .complete("later"))
    }

    @Test func anIdStillDueFromAGivenUpRecordIsNotTrustedForANewOne() {
        var window = DeliveryWindow<String>(records: 8, messages: 100)
        window.register("a", ids: ids(1, 2))
        window.abandon("a")
        #expect(window.register("b", ids: ids(2, 3)) == ["b"], "2's acknowledgement may be a's")
        for id in [1, 2, 2, 3] { #expect(window.acknowledge(MessageID(rawValue: id)) == .unknown) }
        #expect(window.isEmpty)
    }

    @Test func aRejectedMessageTakesItsRecordOutAndLeavesNothingBehind() {
        var window = DeliveryWindow<String>(records: 8, messages: 100)
        window.register("a", ids: ids(1, 2, 3))
        window.register("b", ids: ids(4))
        #expect(window.acknowledge(MessageID(rawValue: 1)) == .pending("a"))
        #expect(window.reject(MessageID(rawValue: 2)) == "a")
        #expect(!window.contains("a"))
        #expect(window.acknowledge(MessageID(rawValue: 3)) == .unknown)
        #expect(window.reject(MessageID(rawValue: 2)) == nil, "a second rejection finds nothing")
        #expect(window.acknowledge(MessageID(rawValue: 4)) == .complete("b"))
        #expect(window.isEmpty)
    }

    @Test func wrappingIdsThroughABoundedWindowNeverCollideOverMoreThanTheIdSpace() {
        var window = DeliveryWindow<Int>(records: 32, messages: 1_000)
        var next = 65_000
        var inFlight: [Int] = []
        var completed = 0
        for record in 0..<20_000 {  // 100 000 messages, ids wrapping at 65 535 one and a half times
            var recordIDs: [MessageID] = []
            for _ in 0..<5 {
                next = next >= 65_535 ? 1 : next + 1
                recordIDs.append(MessageID(rawValue: next))
            }
            if !window.hasRoom(forMessages: 5) || window.recordCount >= 32 {
                for id in inFlight { if case .complete = window.acknowledge(MessageID(rawValue: id)) { completed += 1 } }
                inFlight = []
            }
            #expect(window.register(record, ids: recordIDs).isEmpty)
            inFlight += recordIDs.map(\.rawValue)
        }
        for id in inFlight { if case .complete = window.acknowledge(MessageID(rawValue: id)) { completed += 1 } }
        #expect(completed == 20_000)
        #expect(window.isEmpty)
    }
}

import AuroraProtocol
import Testing
@testable import AuroraLink

@Suite("Alignment bookkeeping")
struct AlignmentTrackerTests {
    let start = ContinuousClock.now
    let serial = Response(payload: Array("240002".utf8))
    let part = Response(payload: Array("-3G79-".utf8))
    let power = Response(globalState: 6, data: [0x45, 0x61, 0x00, 0x00])
    let serialRequest = Request(address: 2, command: .serialNumber)
    let partRequest = Request(address: 2, command: .partNumber)
    let powerRequest = Request.measure(.gridPower, address: 2)

    /// A tracker that learned the serial and part numbers of inverter 2 on an aligned link.
    func learned() -> AlignmentTracker {
        var tracker = AlignmentTracker()
        tracker.sent(serialRequest, at: start)
        tracker.answered(serialRequest, with: serial)
        tracker.sent(partRequest, at: start)
        tracker.answered(partRequest, with: part)
        return tracker
    }

    @Test func aCleanReplyOnAnAlignedLinkKeepsItAlignedAndTeachesIdentity() {
        let tracker = learned()
        #expect(tracker.isAligned)
        #expect(tracker.known[2]?[.serialNumber] == serial.payload && tracker.known[2]?[.partNumber] == part.payload)
    }

    @Test func aLateReplyIsSkippedUntilTheProbeAnswers() {
        var tracker = learned()
        tracker.sent(powerRequest, at: start)            // timed out: unaligned
        #expect(!tracker.isAligned)
        let probe = tracker.nextProbe(preferring: 2)
        #expect(probe == serialRequest)
        tracker.sent(serialRequest, at: start)
        let recognised1 = tracker.received(power)                // the late reply: not recognised
        #expect(!recognised1)
        #expect(!tracker.isAligned)
        let recognised2 = tracker.received(serial)
        #expect(recognised2)
        #expect(tracker.isAligned)
    }

    @Test func anOutstandingProbeKindIsNotReused() {
        var tracker = learned()
        tracker.sent(powerRequest, at: start)
        tracker.sent(serialRequest, at: start)   // the first probe, timed out
        let second = tracker.nextProbe(preferring: 2)
        #expect(second == partRequest)
        tracker.sent(partRequest, at: start)
        #expect(tracker.nextProbe(preferring: 2) == nil, "both known kinds are outstanding: only listen")
        // The late serial reply proves the power request and the serial probe are done, but the
        // part-number probe is still outstanding.
        let recognised3 = tracker.received(serial)
        #expect(recognised3)
        #expect(!tracker.isAligned)
        let recognised4 = tracker.received(part)
        #expect(recognised4)
        #expect(tracker.isAligned)
    }

    @Test func twoOutstandingProbesOfOneKindResolveOnlyTheFirst() {
        var tracker = AlignmentTracker()
        tracker.sent(serialRequest, at: start)
        tracker.answered(serialRequest, with: serial)   // only the serial number is known
        tracker.sent(powerRequest, at: start)
        tracker.sent(serialRequest, at: start)
        tracker.sent(serialRequest, at: start)
        let recognised5 = tracker.received(serial)
        #expect(recognised5)
        #expect(!tracker.isAligned, "the second serial probe may still be answered")
        let recognised6 = tracker.received(serial)
        #expect(recognised6)
        #expect(tracker.isAligned)
    }

    @Test func withNothingKnownTheSerialNumberIsLearnedWhileUnaligned() {
        var tracker = AlignmentTracker()
        tracker.sent(powerRequest, at: start)
        let probe = tracker.nextProbe(preferring: 2)
        #expect(probe == serialRequest)
        tracker.sent(serialRequest, at: start)
        let recognised7 = tracker.received(power)
        #expect(!recognised7)
        let recognised8 = tracker.received(serial)
        #expect(recognised8)
        #expect(tracker.isAligned)
        #expect(tracker.known[2]?[.serialNumber] == serial.payload)
    }

    /// After replies to a serial and a part-number probe were lost, two more serial probes: the
    /// part-number reply could still come, so one equal text is not enough; two are.
    @Test func learningWaitsForMoreEqualTextsThanOtherItemsCouldSend() {
        var tracker = AlignmentTracker()
        for request in [powerRequest, serialRequest, partRequest] { tracker.sent(request, at: start) }
        #expect(tracker.nextProbe(preferring: 2) == serialRequest, "nothing else to ask: the serial number again")
        tracker.sent(serialRequest, at: start)
        let first = tracker.received(serial)
        #expect(!first && tracker.known.isEmpty)
        tracker.sent(serialRequest, at: start)
        let second = tracker.received(serial)
        #expect(second && tracker.known[2]?[.serialNumber] == serial.payload)
        // Both texts answered serial probes: only the last serial probe may still be answered.
        #expect(tracker.outstanding.map(\.kind) == [.serialNumber])
        #expect(tracker.nextProbe(preferring: 2) == partRequest)
        tracker.sent(partRequest, at: start)
        let third = tracker.received(part)
        #expect(third && tracker.isAligned && tracker.known[2]?[.partNumber] == part.payload)
    }

    @Test func bytesOfUnknownOriginBlockLearning() {
        var tracker = AlignmentTracker()
        tracker.strayInput(at: start)
        #expect(tracker.nextProbe(preferring: 2) == serialRequest)
        tracker.sent(serialRequest, at: start)
        let recognised9 = tracker.received(serial)
        #expect(!recognised9)
        #expect(tracker.known.isEmpty)
        // Marks of unknown origin expire like probes.
        tracker.expire(before: start + .seconds(1))
        #expect(tracker.isAligned)
    }

    @Test func expiryForgetsProbesButNotRequestsWithUnknownAnswers() {
        var tracker = learned()
        tracker.sent(powerRequest, at: start)
        tracker.sent(serialRequest, at: start)
        tracker.expire(before: start + .seconds(1))
        #expect(tracker.outstanding.count == 1 && tracker.outstanding.first?.kind == nil)
    }

    @Test func knownAnswersToOtherItemsAndStrayTextAreForeign() {
        let tracker = learned()
        #expect(tracker.isForeign(serial, to: powerRequest))
        #expect(tracker.isForeign(serial, to: partRequest))
        #expect(!tracker.isForeign(serial, to: serialRequest))
        #expect(!tracker.isForeign(power, to: powerRequest))
        #expect(AlignmentTracker().isForeign(Response(payload: Array("ABCDEF".utf8)), to: powerRequest))
        #expect(!AlignmentTracker().isForeign(part, to: partRequest))
    }

    @Test func versionAnswersIgnoreTheGlobalState() {
        var tracker = AlignmentTracker()
        let request = Request(address: 2, command: .version)
        tracker.sent(request, at: start)
        tracker.answered(request, with: Response(globalState: 6, data: Array("iAN5".utf8)))
        tracker.sent(powerRequest, at: start)
        tracker.sent(request, at: start)
        let recognised = tracker.received(Response(globalState: 2, data: Array("iAN5".utf8)))
        #expect(recognised)
        #expect(tracker.isAligned)
    }

    @Test func refusedAndLearnedItemsAreNotLearnedAgain() {
        var tracker = learned()
        tracker.refused(Request(address: 2, command: .firmware))
        #expect(tracker.itemsToLearn(address: 2) == [.version, .manufacturingDate])
        #expect(tracker.itemsToLearn(address: 3) == ProbeKind.allCases)
    }

    @Test func identicalAnswersOfTwoItemsAreNeverUsed() {
        var tracker = AlignmentTracker()
        tracker.sent(serialRequest, at: start)
        tracker.answered(serialRequest, with: serial)
        tracker.sent(partRequest, at: start)
        tracker.answered(partRequest, with: serial)
        #expect(tracker.known[2] == nil)
        tracker.sent(serialRequest, at: start)
        tracker.answered(serialRequest, with: serial)
        #expect(tracker.known[2] == nil)
    }
}

@Suite("Reply scanner")
struct ReplyScannerTests {
    let reply = Response(globalState: 6, data: [1, 2, 3, 4])

    @Test func findsFramesBehindStrayBytesAndKeepsAnUnfinishedTail() {
        let bytes = [0xAA, 0x55] + reply.bytes + reply.bytes + Array(reply.bytes.prefix(3))
        let scan = ReplyScanner.scan(bytes)
        #expect(scan.frames == [reply, reply])
        #expect(scan.strayBytes == 2 && scan.pendingBytes == 3)
    }

    @Test func bytesArrivingInPiecesMakeOneFrame() {
        var scanner = ReplyScanner()
        for byte in reply.bytes {
            #expect(scanner.nextFrame() == nil)
            scanner.append([byte])
        }
        #expect(scanner.nextFrame() == reply)
        #expect(scanner.pendingByteCount == 0 && scanner.strayByteCount == 0)
    }

    @Test func anyBytesAreAccepted() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let scan = ReplyScanner.scan(bytes)
            #expect(scan.frames.count * 8 + scan.strayBytes + scan.pendingBytes == length)
            #expect(scan.pendingBytes < 8)
        }
    }
}

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
        tracker.answered(serialRequest, with: serial, at: start)
        tracker.sent(partRequest, at: start)
        tracker.answered(partRequest, with: part, at: start)
        return tracker
    }

    @Test func aCleanReplyOnAnAlignedLinkKeepsItAlignedAndTeachesIdentity() {
        let tracker = learned()
        #expect(tracker.isAligned)
        #expect(tracker.known[2]?[.serialNumber] == serial.payload && tracker.known[2]?[.partNumber] == part.payload)
    }

    @Test func aLateReplyIsPlacedThenTheProbeAnswers() {
        var tracker = learned()
        tracker.sent(powerRequest, at: start)            // timed out: unaligned
        #expect(!tracker.isAligned)
        let probe = tracker.nextProbe(for: 2)
        #expect(probe == serialRequest)
        tracker.sent(serialRequest, at: start + .milliseconds(50))
        // The late reply: only inverter 2 has requests outstanding, so it answers the first one,
        // which went out on an aligned link: its latency is a clean sample.
        #expect(tracker.received(power, at: start + .milliseconds(300)) == .late(address: 2, latency: .milliseconds(300)))
        // The probe's answer is known: it blocks nothing, and is recognised whenever it comes.
        #expect(tracker.isAligned && tracker.outstanding.count == 1)
        #expect(tracker.received(serial, at: start + .milliseconds(301)) == .proof(address: 2))
        #expect(tracker.isAligned && tracker.outstanding.isEmpty)
    }

    @Test func anOutstandingProbeKindIsReusedOnlyWhenEveryKindIsOutstanding() {
        var tracker = learned()
        tracker.sent(powerRequest, at: start)
        tracker.sent(serialRequest, at: start)   // the first probe, timed out
        let second = tracker.nextProbe(for: 2)
        #expect(second == partRequest)
        tracker.sent(partRequest, at: start + .milliseconds(1))
        #expect(tracker.nextProbe(for: 2) == serialRequest, "both known kinds are outstanding: the older one again")
        // The late serial reply proves the power request and the serial probe are done, but the
        // part-number probe is still outstanding.
        #expect(tracker.received(serial, at: start) == .proof(address: 2))
        #expect(tracker.isAligned && tracker.outstanding.map(\.kind) == [.partNumber])
        #expect(tracker.received(part, at: start) == .proof(address: 2))
        #expect(tracker.outstanding.isEmpty)
    }

    @Test func twoOutstandingProbesOfOneKindResolveOnlyTheFirst() {
        var tracker = AlignmentTracker()
        tracker.sent(serialRequest, at: start)
        tracker.answered(serialRequest, with: serial, at: start)   // only the serial number is known
        tracker.sent(powerRequest, at: start)
        tracker.sent(serialRequest, at: start)
        tracker.sent(serialRequest, at: start)
        #expect(tracker.received(serial, at: start) == .proof(address: 2))
        #expect(tracker.isAligned && tracker.outstanding.count == 1, "the second serial probe may still be answered, but blocks nothing")
        #expect(tracker.received(serial, at: start) == .proof(address: 2))
        #expect(tracker.outstanding.isEmpty)
    }

    @Test func withNothingKnownTheSerialNumberIsLearnedWhileUnaligned() {
        var tracker = AlignmentTracker()
        tracker.sent(powerRequest, at: start)
        let probe = tracker.nextProbe(for: 2)
        #expect(probe == serialRequest)
        tracker.sent(serialRequest, at: start)
        #expect(tracker.received(power, at: start) == .late(address: 2, latency: .zero))
        #expect(tracker.received(serial, at: start) == .proof(address: 2))
        #expect(tracker.isAligned)
        #expect(tracker.known[2]?[.serialNumber] == serial.payload)
    }

    /// After replies to a serial and a part-number probe were lost, two more serial probes: the
    /// part-number reply could still come, so one equal text is not enough; two are.
    @Test func learningWaitsForMoreEqualTextsThanOtherItemsCouldSend() {
        var tracker = AlignmentTracker()
        for request in [powerRequest, serialRequest, partRequest] { tracker.sent(request, at: start) }
        #expect(tracker.nextProbe(for: 2) == serialRequest, "nothing else to ask: the serial number again")
        tracker.sent(serialRequest, at: start)
        #expect(tracker.received(serial, at: start) == .unplaced)
        #expect(tracker.known.isEmpty)
        tracker.sent(serialRequest, at: start)
        #expect(tracker.received(serial, at: start) == .proof(address: 2))
        #expect(tracker.known[2]?[.serialNumber] == serial.payload)
        // Both texts answered serial probes: only the last serial probe may still be answered.
        #expect(tracker.outstanding.map(\.kind) == [.serialNumber])
        #expect(tracker.nextProbe(for: 2) == partRequest)
        tracker.sent(partRequest, at: start)
        #expect(tracker.received(part, at: start) == .proof(address: 2))
        #expect(tracker.isAligned && tracker.known[2]?[.partNumber] == part.payload)
    }

    @Test func bytesOfUnknownOriginBlockLearning() {
        var tracker = AlignmentTracker()
        tracker.strayInput(at: start)
        #expect(tracker.nextProbe(for: 2) == serialRequest)
        tracker.sent(serialRequest, at: start)
        #expect(tracker.received(serial, at: start) == .unplaced)
        #expect(tracker.known.isEmpty)
        // Marks of unknown origin expire like probes.
        tracker.expire(at: start + tracker.horizon + .seconds(1))
        #expect(tracker.isAligned)
    }

    @Test func expiryForgetsProbesButNotRequestsWithUnknownAnswers() {
        var tracker = learned()
        tracker.sent(powerRequest, at: start)
        tracker.sent(serialRequest, at: start)
        tracker.expire(at: start + tracker.horizon + .seconds(1))
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
        tracker.answered(request, with: Response(globalState: 6, data: Array("iAN5".utf8)), at: start)
        tracker.sent(powerRequest, at: start)
        tracker.sent(request, at: start)
        #expect(tracker.received(Response(globalState: 2, data: Array("iAN5".utf8)), at: start) == .proof(address: 2))
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
        tracker.answered(serialRequest, with: serial, at: start)
        tracker.sent(partRequest, at: start)
        tracker.answered(partRequest, with: serial, at: start)
        #expect(tracker.known[2] == nil)
        tracker.sent(serialRequest, at: start)
        tracker.answered(serialRequest, with: serial, at: start)
        #expect(tracker.known[2] == nil)
    }

    @Test func anotherInvertersProbeOfAnItemBlocksReadingThatItemWhileItsAnswerIsUnknown() {
        var tracker = learned()
        tracker.sent(Request(address: 2, command: .partNumber), at: start)   // a probe on its way
        #expect(tracker.isAligned(for: 3, at: start), "its answer is known: no measure can be mistaken for it")
        #expect(!tracker.isAligned(for: 3, kind: .partNumber, at: start), "inverter 3's part number could be taken from it")
        #expect(tracker.isAligned(for: 3, kind: .partNumber, at: start + tracker.horizon))
    }

    @Test func aMangledReplyIsOnlyInItsPlaceWhenNothingElseIsAwaited() {
        var tracker = learned()
        tracker.sent(powerRequest, at: start)
        #expect(tracker.onlyAwaits(powerRequest, at: start))
        tracker.answeredInPlace(powerRequest, at: start)
        tracker.sent(serialRequest, at: start)                    // a probe whose answer is known …
        #expect(tracker.isAligned(for: 2, at: start), "… blocks nothing when whole …")
        tracker.sent(powerRequest, at: start)
        #expect(!tracker.onlyAwaits(powerRequest, at: start), "… but mangled it would not be recognised")
    }

    @Test func anotherInvertersDifferentAnswerToTheSameItemIsForeign() {
        var tracker = learned()
        let otherPart = Request(address: 3, command: .partNumber)
        tracker.sent(otherPart, at: start)
        tracker.answered(otherPart, with: Response(payload: Array("-3G97-".utf8)), at: start)
        #expect(tracker.isForeign(Response(payload: Array("-3G97-".utf8)), to: partRequest))
        #expect(!tracker.isForeign(part, to: partRequest))
        #expect(!tracker.isForeign(Response(payload: Array("-3G97-".utf8)), to: Request(address: 4, command: .partNumber)), "unknown: no proof either way")
    }

    @Test func aMangledReplyInItsPlaceKeepsTheLinkAligned() {
        var tracker = learned()
        tracker.sent(powerRequest, at: start)
        tracker.answeredInPlace(powerRequest, at: start)
        #expect(tracker.isAligned && tracker.isLive(2, at: start))
    }
}

/// Two inverters on one bus: each answers its own requests in order, but one's late reply may
/// come after the other's prompt one.
@Suite("Alignment bookkeeping of several inverters")
struct SeveralInvertersAlignmentTests {
    let start = ContinuousClock.now
    let power = Response(globalState: 6, data: [0x45, 0x61, 0x00, 0x00])

    /// Inverters 2 and 3, with their serial numbers and a shared part number known, both
    /// answering at `start`.
    func twoInverters() -> AlignmentTracker {
        var tracker = AlignmentTracker()
        for (address, serial) in [(UInt8(2), "240002"), (3, "240003")] {
            for (command, text) in [(Command.serialNumber, serial), (.partNumber, "-3G79-")] {
                let request = Request(address: address, command: command)
                tracker.sent(request, at: start)
                tracker.answered(request, with: Response(payload: Array(text.utf8)), at: start)
            }
        }
        return tracker
    }

    func serial(_ address: UInt8) -> Response { Response(payload: Array("24000\(address)".utf8)) }

    @Test func anotherInvertersLateReplyHoldsTheBusUntilItIsPlaced() {
        var tracker = twoInverters()
        tracker.sent(.measure(.gridPower, address: 2), at: start)   // timed out
        #expect(!tracker.isAligned(for: 3, at: start + .seconds(1)), "inverter 2 may still answer")
        // Only inverter 2 has requests outstanding: the late frame is its reply.
        #expect(tracker.received(power, at: start + .seconds(1)) == .late(address: 2, latency: .seconds(1)))
        #expect(tracker.isAligned(for: 3, at: start + .seconds(1)))
    }

    @Test func aProofSettlesOnlyItsOwnInverter() {
        var tracker = twoInverters()
        tracker.sent(.measure(.gridPower, address: 2), at: start)
        tracker.sent(.measure(.gridPower, address: 3), at: start)
        #expect(tracker.nextProbe(for: 3) == Request(address: 3, command: .serialNumber), "the shared part number proves nothing")
        tracker.sent(Request(address: 3, command: .serialNumber), at: start)
        // A measure reply now could be either inverter's: it settles nothing.
        #expect(tracker.received(power, at: start) == .unplaced)
        #expect(tracker.received(serial(3), at: start) == .proof(address: 3))
        #expect(tracker.blockers(for: 3, at: start).map(\.address) == [2], "inverter 2's request may still be answered")
        #expect(!tracker.isAligned(for: 2, at: start))
    }

    @Test func aSharedAnswerIsNeverAProof() {
        var tracker = twoInverters()
        tracker.sent(.measure(.gridPower, address: 2), at: start)
        tracker.sent(Request(address: 2, command: .partNumber), at: start)
        tracker.sent(Request(address: 3, command: .partNumber), at: start)
        #expect(tracker.received(Response(payload: Array("-3G79-".utf8)), at: start) == .unplaced)
        #expect(tracker.outstanding.count == 3)
    }

    @Test func aTextRequestWithAnUnknownAnswerMakesTextAmbiguous() {
        var tracker = twoInverters()
        tracker.sent(.measure(.gridPower, address: 2), at: start)
        tracker.sent(Request(address: 2, command: .serialNumber), at: start)
        tracker.sent(Request(address: 4, command: .serialNumber), at: start)   // never answered: unknown
        #expect(tracker.received(serial(2), at: start) == .unplaced, "inverter 4's serial number could be the same text")
    }

    @Test func anInverterThatAnsweredLatelyBlocksTheOthersForTheHorizon() {
        var tracker = twoInverters()
        let sent = start   // when inverter 2 last answered
        tracker.sent(.measure(.gridPower, address: 2), at: sent)
        #expect(!tracker.isAligned(for: 3, at: sent + tracker.horizon - .milliseconds(1)))
        #expect(tracker.nextRelease(for: 3, at: sent) == sent + tracker.horizon)
        #expect(tracker.isAligned(for: 3, at: sent + tracker.horizon))
        // For itself, its request stays outstanding until its own answers settle it.
        #expect(!tracker.isAligned(for: 2, at: sent + tracker.horizon * 10))
    }

    @Test func aSilentInverterBlocksTheOthersForTheSilenceLimit() {
        var tracker = twoInverters()
        let late = start + tracker.horizon + .seconds(1)   // inverter 2 has not answered for the horizon
        tracker.sent(.state(address: 2), at: late)
        #expect(!tracker.isLive(2, at: late))
        #expect(!tracker.isAligned(for: 3, at: late + tracker.silenceLimit - .milliseconds(1)))
        #expect(tracker.nextRelease(for: 3, at: late) == late + tracker.silenceLimit)
        #expect(tracker.isAligned(for: 3, at: late + tracker.silenceLimit))
        // An address never heard counts as silent.
        tracker.sent(.state(address: 9), at: late)
        #expect(tracker.nextRelease(for: 3, at: late) == late + tracker.silenceLimit)
    }

    @Test func theLateReplyOfAnInverterThatJustStoppedAnsweringIsAwaitedUntilItsLivenessEnds() {
        var tracker = twoInverters()
        let sent = start + .seconds(15)   // 5 s of liveness left
        tracker.sent(.state(address: 2), at: sent)
        // Live until start + horizon, then silent: released at max(that, sent + silence limit).
        #expect(tracker.nextRelease(for: 3, at: sent) == max(start + tracker.horizon, sent + tracker.silenceLimit))
    }
}

@Suite("Learned reply timeout")
struct ReplyTimerTests {
    let floor = Duration.milliseconds(20)
    let ceiling = Duration.seconds(2)

    @Test func theCeilingUntilTheFirstSampleThenLatencyPlusFourDeviations() {
        var timer = ReplyTimer()
        #expect(timer.timeout(floor: floor, ceiling: ceiling) == ceiling)
        timer.record(0.3)
        // First sample: 0.3 + 4 × 0.15.
        #expect(abs(timer.timeout(floor: floor, ceiling: ceiling).seconds - 0.9) < 1e-9)
        for _ in 0..<200 { timer.record(0.3) }
        #expect(abs(timer.timeout(floor: floor, ceiling: ceiling).seconds - 0.3) < 0.01, "a steady line converges on its latency")
    }

    @Test func aJitteryGatewayKeepsItsSpreadAboveTheLatency() {
        var timer = ReplyTimer()
        for index in 0..<400 { timer.record(index.isMultiple(of: 2) ? 0.2 : 0.4) }
        let timeout = timer.timeout(floor: floor, ceiling: ceiling).seconds
        #expect(timeout > 0.4 && timeout < 1.0, "\(timeout)")
    }

    @Test func boundedByTheFloorAndTheCeiling() {
        var fast = ReplyTimer()
        for _ in 0..<50 { fast.record(0.0001) }
        #expect(fast.timeout(floor: floor, ceiling: ceiling) == floor)
        var slow = ReplyTimer()
        slow.record(5)
        #expect(slow.timeout(floor: floor, ceiling: ceiling) == ceiling)
    }
}

@Suite("Transaction progress")
struct TransactionProgressTests {
    @Test func silentWaitsDoubleUpToTheCeilingAndEndListeningThere() {
        var progress = TransactionProgress(firstWait: .milliseconds(100), ceiling: .milliseconds(400), silenceLimit: .milliseconds(1000))
        var waits: [Duration] = []
        while progress.mayGoOnListening {
            waits.append(progress.wait)
            progress.waitedInSilence()
        }
        #expect(waits == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(400)])
    }

    @Test func anythingHeardEndsTheExtraTries() {
        var progress = TransactionProgress(firstWait: .milliseconds(100), ceiling: .seconds(2), silenceLimit: .seconds(6))
        progress.heard = true
        #expect(!progress.mayGoOnListening)
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

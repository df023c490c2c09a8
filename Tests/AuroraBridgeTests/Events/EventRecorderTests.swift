import AuroraBridge
import AuroraProtocol
import Synchronization
import Testing

/// An event store in memory that can be made to fail, like a locked or full database.
final class InMemoryEventStore: EventStore {
    struct State {
        var events: [BridgeEvent] = []
        var lastAlarms: [String: [UInt8]] = [:]
        var failing = false
    }

    let state = Mutex(State())

    var events: [BridgeEvent] { state.withLock { $0.events } }

    func insert(_ event: BridgeEvent) async throws(ArchiveStoreError) -> Int64 {
        try state.withLock { state throws(ArchiveStoreError) in
            if state.failing { throw .failed(operation: "store an event", path: "memory", reason: "database is locked") }
            state.events.append(event)
            return Int64(state.events.count)
        }
    }

    func lastAlarms(serialNumber: String) async throws(ArchiveStoreError) -> [UInt8]? {
        state.withLock { $0.lastAlarms[serialNumber] }
    }

    func saveLastAlarms(_ codes: [UInt8], serialNumber: String) async throws(ArchiveStoreError) {
        state.withLock { $0.lastAlarms[serialNumber] = codes }
    }
}

@Suite("Events: from what the poller reports")
struct InverterEventDeriverTests {
    static func status(global: UInt8, alarm: UInt8 = 0) -> InverterStatus {
        InverterStatus(global: GlobalState(code: global), inverter: InverterState(code: 2), dcdc1: DCDCState(code: 2), dcdc2: DCDCState(code: 2), alarm: Alarm(code: alarm))
    }

    @Test func aGridFaultBetweenPollsIsRaisedChangesTheStateAndClearsInOrder() {
        var deriver = InverterEventDeriver()
        #expect(deriver.events(for: .status(inverter: "roof", Self.status(global: 6)), at: 0).isEmpty, "the first state is the baseline")
        let fault = deriver.events(for: .status(inverter: "roof", Self.status(global: 2, alarm: 13)), at: 10)
        let recovery = deriver.events(for: .status(inverter: "roof", Self.status(global: 6)), at: 40)
        #expect((fault + recovery).map(\.type) == [.alarmRaised, .stateChanged, .stateChanged, .alarmCleared])
        #expect(fault.first?["code"] == .integer(13) && fault.first?["reported_late"] == .flag(false))
        #expect(fault.last?["from_text"] == .text("Run") && fault.last?["to_text"] == .text("Checking grid"))
        #expect(recovery.map(\.dateTime) == [40, 40])
        #expect(deriver.events(for: .status(inverter: "roof", Self.status(global: 6)), at: 50).isEmpty, "no change, no event")
    }

    @Test func anAlarmInForceAtStartIsNotRaisedAgain() {
        var deriver = InverterEventDeriver()
        #expect(deriver.events(for: .status(inverter: "roof", Self.status(global: 2, alarm: 13)), at: 0).isEmpty)
        #expect(deriver.events(for: .status(inverter: "roof", Self.status(global: 6)), at: 10).map(\.type) == [.stateChanged, .alarmCleared])
    }

    @Test func availabilityChangesAfterTheFirstOne() {
        var deriver = InverterEventDeriver()
        #expect(deriver.events(for: .availability(inverter: "roof", .online), at: 0).isEmpty)
        let asleep = deriver.events(for: .availability(inverter: "roof", .asleep), at: 10)
        #expect(asleep.map(\.type) == [.availabilityChanged] && asleep.first?["from"] == .text("online") && asleep.first?["to"] == .text("asleep"))
    }

    @Test func anAlarmThatCameAndWentBetweenPollsIsReportedLateOnce() {
        var deriver = InverterEventDeriver()
        _ = deriver.events(for: .status(inverter: "roof", Self.status(global: 6)), at: 0)
        #expect(deriver.lateAlarms(inverter: "roof", previous: nil, current: [3, 1, 3, 1], at: 0).isEmpty, "the first list is the baseline")
        let late = deriver.lateAlarms(inverter: "roof", previous: [3, 1, 3, 1], current: [1, 3, 1, 13], at: 10)
        #expect(late.map(\.type) == [.alarmRaised] && late.first?["reported_late"] == .flag(true) && late.first?["code"] == .integer(13))
        // The next poll still sees it in force: not raised again, but cleared when it goes.
        #expect(deriver.events(for: .status(inverter: "roof", Self.status(global: 2, alarm: 13)), at: 20).map(\.type) == [.stateChanged])
        #expect(deriver.events(for: .status(inverter: "roof", Self.status(global: 6)), at: 30).map(\.type) == [.stateChanged, .alarmCleared])
    }

    @Test func anAlarmThePollSawIsNotLateInTheList() {
        var deriver = InverterEventDeriver()
        _ = deriver.events(for: .status(inverter: "roof", Self.status(global: 6)), at: 0)
        #expect(deriver.events(for: .status(inverter: "roof", Self.status(global: 2, alarm: 13)), at: 10).first?.type == .alarmRaised)
        #expect(deriver.lateAlarms(inverter: "roof", previous: [3, 1, 3, 1], current: [1, 3, 1, 13], at: 10).isEmpty)
    }
}

@Suite("Events: the recorder")
struct EventRecorderTests {
    let clock = SteppingClock(start: 1_782_000_000)

    @Test func eventsAreStoredInOrderThenHandedOn() async {
        let store = InMemoryEventStore()
        let handedOn = Mutex(0)
        let recorder = EventRecorder(store: store, clock: clock) { handedOn.withLock { $0 += 1 } }
        await recorder.record(.started)
        await recorder.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 6)))
        await recorder.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 2, alarm: 13)))
        #expect(store.events.isEmpty, "handing in never waits for the database")
        await recorder.flush()
        #expect(store.events.map(\.type) == [.started, .alarmRaised, .stateChanged])
        #expect(store.events.first?.source == "bridge")
        #expect(handedOn.withLock { $0 } == 1)
    }

    @Test func eventsKeepTheTimeTheyWereHandedIn() async {
        let store = InMemoryEventStore()
        let recorder = EventRecorder(store: store, clock: clock)
        await recorder.record(.brokerLost)
        clock.step(by: 30)
        await recorder.flush()
        #expect(store.events.map(\.dateTime) == [1_782_000_000])
    }

    @Test func aDatabaseThatCannotBeWrittenDelaysEventsButLosesNone() async {
        let store = InMemoryEventStore()
        let recorder = EventRecorder(store: store, clock: clock)
        store.state.withLock { $0.failing = true }
        await recorder.record(.brokerLost)
        await recorder.record(.brokerRegained, details: [("seconds", .integer(60))])
        await recorder.flush()
        #expect(store.events.isEmpty)
        #expect(await recorder.waitingCount == 2)
        store.state.withLock { $0.failing = false }
        await recorder.flush()
        #expect(store.events.map(\.type) == [.brokerLost, .brokerRegained])
        #expect(await recorder.waitingCount == 0)
    }

    @Test func aFailingDatabaseIsTriedAgainOnlyEveryRetryInterval() async {
        let store = CountingEventStore()
        store.base.state.withLock { $0.failing = true }
        let recorder = EventRecorder(store: store, clock: clock)
        await withTaskGroup { group in
            group.addTask { await recorder.run() }
            await recorder.record(.brokerLost)
            await Self.until { store.attempts.withLock { $0 } == 1 }
            for _ in 0..<20 {
                await recorder.record(.brokerRegained)
                recorder.retryIfDue()
                await Task.yield()
            }
            let early = store.attempts.withLock { $0 }
            try? await clock.sleep(untilMonotonic: clock.monotonicNow() + EventRecorder.retryInterval)
            recorder.retryIfDue()
            await Self.until { store.attempts.withLock { $0 } > early }
            #expect(early == 1, "no attempt before the retry interval passed: \(early)")
            store.base.state.withLock { $0.failing = false }
            try? await clock.sleep(untilMonotonic: clock.monotonicNow() + EventRecorder.retryInterval)
            recorder.retryIfDue()
            await Self.until { await recorder.waitingCount == 0 }
            await recorder.finish(storing: true)
        }
        #expect(store.base.events.map(\.type) == [.brokerLost, .brokerRegained, .brokerRegained], "repeats folded, none stored twice")
        #expect(store.base.events.last?["repeats"] == .integer(19))
    }

    @Test func concurrentFlushesStoreEachEventOnce() async {
        let store = CountingEventStore()
        let recorder = EventRecorder(store: store, clock: clock)
        await withTaskGroup { group in
            for index in 0..<8 {
                group.addTask {
                    await recorder.record(.portReopened, source: "inverter\(index)")
                    await recorder.flush()
                }
            }
        }
        await recorder.flush()
        #expect(store.base.events.count == 8)
        #expect(Set(store.base.events.map(\.source)).count == 8, "each once")
    }

    @Test func aReloadHandsTheWaitingEventsToTheNextRunWithoutTryingTheDatabase() async {
        let store = CountingEventStore()
        store.base.state.withLock { $0.failing = true }
        let first = EventRecorder(store: store, clock: clock, foldWindow: 60)
        await first.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 6)))
        await first.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 2, alarm: 13)))
        await first.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 6)))
        await first.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 2, alarm: 13)))
        await first.flush()
        let attempts = store.attempts.withLock { $0 }
        await withTaskGroup { group in
            group.addTask { await first.run() }
            await first.finish(storing: false)
        }
        #expect(store.attempts.withLock { $0 } == attempts, "a reload does not wait for a locked database")
        let handedOver = await first.handOver()
        #expect(handedOver.contains { $0["repeats"] == .integer(1) }, "folded repeats go along as their summary: \(handedOver.map(\.type))")

        store.base.state.withLock { $0.failing = false }
        let next = EventRecorder(store: store, clock: clock, handedOver: handedOver)
        await next.record(.configurationReloaded)
        await next.flush()
        #expect(store.base.events.map(\.type) == handedOver.map(\.type) + [.configurationReloaded])
    }

    @Test func aStopForGoodStoresTheFoldedRepeatsStillOpen() async {
        let store = InMemoryEventStore()
        let recorder = EventRecorder(store: store, clock: clock, foldWindow: 60)
        await withTaskGroup { group in
            group.addTask { await recorder.run() }
            for _ in 0..<3 { await recorder.record(.brokerLost) }
            await recorder.record(.stopped)
            await recorder.finish(storing: true)
        }
        #expect(store.events.map(\.type) == [.brokerLost, .stopped, .brokerLost])
        #expect(store.events.last?["repeats"] == .integer(2))
    }

    @Test func aRestartDoesNotRecordTheLastAlarmsAgain() async {
        let store = InMemoryEventStore()
        let first = EventRecorder(store: store, clock: clock)
        await first.handle(.lastAlarms(inverter: "roof", serialNumber: "240002", [3, 1, 3, 1]))
        await first.handle(.lastAlarms(inverter: "roof", serialNumber: "240002", [1, 3, 1, 13]))
        await first.flush()
        #expect(store.events.map { $0["code"] } == [.integer(13)])
        let restarted = EventRecorder(store: store, clock: clock)
        await restarted.handle(.lastAlarms(inverter: "roof", serialNumber: "240002", [1, 3, 1, 13]))
        await restarted.flush()
        #expect(store.events.count == 1, "the stored list is the baseline after a restart")
    }

    @Test func aFlappingConditionIsFoldedWithItsCount() async {
        let store = InMemoryEventStore()
        let recorder = EventRecorder(store: store, clock: clock, foldWindow: 60)
        await recorder.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 6)))
        for _ in 0..<50 {
            clock.step(by: 0.6)
            await recorder.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 2, alarm: 13)))
            clock.step(by: 0.6)
            await recorder.handle(.status(inverter: "roof", InverterEventDeriverTests.status(global: 6)))
        }
        clock.step(by: 60)
        await recorder.handle(.pollFinished(inverter: "roof", succeeded: true, duration: 0.3))
        await recorder.flush()
        #expect(store.events.count <= 8, "\(store.events.map(\.type))")
        #expect(store.events.contains { $0["repeats"] == .integer(49) })
    }

    /// Waits, yielding, until `condition` holds (the recorder's background store), for at most 10 s.
    static func until(_ condition: @Sendable () async -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await condition()), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
        }
        #expect(await condition(), "timed out")
    }
}

/// An ``InMemoryEventStore`` that counts the attempts to store an event.
final class CountingEventStore: EventStore {
    let base = InMemoryEventStore()
    let attempts = Mutex(0)

    func insert(_ event: BridgeEvent) async throws(ArchiveStoreError) -> Int64 {
        attempts.withLock { $0 += 1 }
        return try await base.insert(event)
    }

    func lastAlarms(serialNumber: String) async throws(ArchiveStoreError) -> [UInt8]? {
        try await base.lastAlarms(serialNumber: serialNumber)
    }

    func saveLastAlarms(_ codes: [UInt8], serialNumber: String) async throws(ArchiveStoreError) {
        try await base.saveLastAlarms(codes, serialNumber: serialNumber)
    }
}

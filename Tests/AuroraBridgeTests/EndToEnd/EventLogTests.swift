import AuroraBridge
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// The event log end to end: simulated inverters with scheduled alarms, the bridge in this
/// process on a fast clock, a real mosquitto.
@Suite struct EventLogTests {
    /// 2026-06-21 13:00:00 UTC, a multiple of the poll interval: polls at +0, +10, +20 …
    static let noon = SimulatedBus.defaultStart
    /// Simulated seconds per real second.
    static let scale = 20.0
    static let pollInterval = 10.0

    /// A bus with inverter 2 (`roof`) and the given alarms, its simulated time following `clock`.
    private static func bus(_ directory: TemporaryDirectory, clock: any WallClock, alarms: [ScheduledAlarm]) throws -> (Simulator, PseudoTerminalServer) {
        var model = InverterModel(address: 2, timeZone: .gmt)
        model.alarms = alarms
        let simulator = try Simulator(inverters: [model], clock: FollowingClock(wall: clock))
        return (simulator, try PseudoTerminalServer(simulator: simulator, linkPath: directory.file("ttyAurora")))
    }

    private static func configuration(_ directory: TemporaryDirectory, broker: TestBroker) -> TestBridgeConfiguration {
        var configuration = TestBridgeConfiguration(
            brokerPort: Int(broker.port), busPort: directory.file("ttyAurora"),
            inverters: [.init(name: "roof", address: 2, pollInterval: pollInterval)], database: directory.file("archive.sqlite"))
        configuration.readTimeout = 1
        return configuration
    }

    /// The events published on `topic` (not retained), parsed, in order of arrival.
    private static func published(_ subscriber: TestSubscriber, _ topic: String = "aurora/roof/event") throws -> [[String: Any]] {
        try subscriber.messages(on: topic).filter { !$0.retain }.map { message in
            try #require(try JSONSerialization.jsonObject(with: Data(message.text.utf8)) as? [String: Any])
        }
    }

    @Test func aGridFaultBetweenTwoPollsIsRaisedChangesTheStateAndClearsEachOnceInOrder() async throws {
        let clock = ScaledWallClock(start: Self.noon + 1, scale: Self.scale)
        let directory = try TemporaryDirectory("events-grid")
        // Raised 15 s after noon (between the polls at +10 and +20), cleared 30 s later (between +40 and +50).
        let (_, server) = try Self.bus(directory, clock: clock, alarms: [ScheduledAlarm(code: 13, raisedAt: Self.noon + 15, duration: 30)])
        defer { server.stop() }
        let broker = try await TestBroker.start()
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#", qos: .atLeastOnce)
        try await withBridge(try parse(Self.configuration(directory, broker: broker)), clock: clock) {
            try await Deadline.until("the alarm cleared", timeout: .seconds(30)) {
                try Self.published(subscriber).contains { $0["event_type"] as? String == "alarm_cleared" }
            }
            // Two polls more: nothing else comes of it.
            let until = clock.now() + 2 * Self.pollInterval
            try await Deadline.until("two more polls", timeout: .seconds(10)) { clock.now() >= until }
        }
        let events = try Self.published(subscriber)
        #expect(events.map { $0["event_type"] as? String } == ["alarm_raised", "state_changed", "state_changed", "alarm_cleared"], "\(events)")
        let times = events.compactMap { $0["dateTime"] as? Int }
        let raised = Int(Self.noon) + 15, cleared = raised + 30
        #expect(times.count == 4 && (raised...raised + Int(Self.pollInterval)).contains(times[0]) && times[1] == times[0])
        #expect((cleared...cleared + Int(Self.pollInterval)).contains(times[3]) && times[2] == times[3])
        #expect(events[0]["code"] as? Int == 13 && events[0]["reported_late"] as? Bool == false)
        #expect(events[1]["from_text"] as? String == "Run" && events[1]["to_text"] as? String == "Checking grid")
        #expect(events[2]["to_text"] as? String == "Run")
        // What was published is what was stored, delivered.
        let store = try ArchiveStore(path: directory.file("archive.sqlite"))
        let stored = try await store.events(source: "roof")
        #expect(stored.map(\.payload) == subscriber.messages(on: "aurora/roof/event").map(\.text))
        #expect(try await store.undeliveredEventCount() == 0)
        #expect(try await store.events(source: "bridge").map(\.type).prefix(1) == ["started"])
    }

    @Test func anAlarmThatCameAndWentBetweenTwoPollsIsRecordedFromTheLastAlarmsAsReportedLate() async throws {
        let clock = ScaledWallClock(start: Self.noon + 1, scale: Self.scale)
        let directory = try TemporaryDirectory("events-late")
        // Raised 12 s after noon for 4 s: gone before the poll at +20.
        let (_, server) = try Self.bus(directory, clock: clock, alarms: [ScheduledAlarm(code: 33, raisedAt: Self.noon + 12, duration: 4)])
        defer { server.stop() }
        let broker = try await TestBroker.start()
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/roof/event", qos: .atLeastOnce)
        try await withBridge(try parse(Self.configuration(directory, broker: broker)), clock: clock) {
            try await Deadline.until("the late alarm", timeout: .seconds(30)) { try !Self.published(subscriber).isEmpty }
            let until = clock.now() + 2 * Self.pollInterval
            try await Deadline.until("two more polls", timeout: .seconds(10)) { clock.now() >= until }
        }
        let events = try Self.published(subscriber)
        #expect(events.count == 1, "\(events)")
        #expect(events.first?["event_type"] as? String == "alarm_raised" && events.first?["code"] as? Int == 33)
        #expect(events.first?["reported_late"] as? Bool == true)
        #expect((Int(Self.noon) + 16...Int(Self.noon) + 16 + Int(Self.pollInterval)).contains(events.first?["dateTime"] as? Int ?? 0))
    }

    @Test func aRestartRecordsNoOldAlarmAgain() async throws {
        let clock = ScaledWallClock(start: Self.noon + 1, scale: Self.scale)
        let directory = try TemporaryDirectory("events-restart")
        let (_, server) = try Self.bus(directory, clock: clock, alarms: [ScheduledAlarm(code: 33, raisedAt: Self.noon + 12, duration: 4)])
        defer { server.stop() }
        let broker = try await TestBroker.start()
        let configuration = try parse(Self.configuration(directory, broker: broker))
        let store = try ArchiveStore(path: directory.file("archive.sqlite"))
        try await withBridge(configuration, clock: clock) {
            try await Deadline.until("the late alarm stored", timeout: .seconds(30)) { try await !store.events(source: "roof").isEmpty }
        }
        try await withBridge(configuration, clock: clock) {
            let until = clock.now() + 3 * Self.pollInterval
            try await Deadline.until("three polls after the restart", timeout: .seconds(10)) { clock.now() >= until }
        }
        #expect(try await store.events(source: "roof").map(\.type) == ["alarm_raised"], "the last alarms were read again: nothing new")
        #expect(try await store.events(source: "bridge").map(\.type) == ["started", "stopped", "started", "stopped"])
    }

    @Test func aConditionFlappingAHundredTimesInAMinuteMakesAHandfulOfEventsWithTheCount() async throws {
        let clock = ScaledWallClock(start: Self.noon + 1, scale: 5)
        let directory = try TemporaryDirectory("events-flap")
        // 100 alarms of 0.3 s, one every 0.6 s, for a minute; polled every second.
        let alarms = (0..<100).map { ScheduledAlarm(code: 13, raisedAt: Self.noon + 5 + Double($0) * 0.6, duration: 0.3) }
        let (_, server) = try Self.bus(directory, clock: clock, alarms: alarms)
        defer { server.stop() }
        let broker = try await TestBroker.start()
        var text = Self.configuration(directory, broker: broker)
        text.inverters = [.init(name: "roof", address: 2, pollInterval: 1)]
        let store = try ArchiveStore(path: directory.file("archive.sqlite"))
        try await withBridge(try parse(text), clock: clock) {
            let until = Self.noon + 5 + 60 + 70   // the flapping, and a window more for its summaries
            try await Deadline.until("the flapping and a fold window", timeout: .seconds(60)) { clock.now() >= until }
        }
        let events = try await store.events(source: "roof")
        let alarmEvents = events.filter { $0.type.hasPrefix("alarm") }
        #expect(alarmEvents.count <= 8, "\(events.map(\.payload))")
        #expect(alarmEvents.contains { $0.payload.contains(#""repeats":"#) }, "the count of the folded ones")
    }
}

/// Events raised while the broker is away, with a SIGKILL of the bridge in the middle: all
/// arrive once it is back, in order, none twice, none lost.
@Suite struct EventOutageTests {
    @Test func eventsOfAnOutageArriveAfterItInOrderOnceAlsoAcrossASigkill() async throws {
        let directory = try TemporaryDirectory("events-outage")
        let broker = try await ArchiveBench.persistentBroker(in: directory)
        let start = SystemWallClock().now()
        // Alarms during the outage: one before the SIGKILL, one after.
        var model = InverterModel(address: 2, timeZone: .gmt, alwaysAwake: true)
        model.alarms = [ScheduledAlarm(code: 13, raisedAt: start + 4, duration: 2), ScheduledAlarm(code: 18, raisedAt: start + 10, duration: 2)]
        let simulator = try Simulator(inverters: [model], clock: FollowingClock(wall: SystemWallClock()))
        let server = try PseudoTerminalServer(simulator: simulator, linkPath: directory.file("ttyAurora"))
        defer { server.stop() }
        var configuration = TestBridgeConfiguration(
            brokerPort: Int(broker.port), busPort: directory.file("ttyAurora"),
            inverters: [.init(name: "roof", address: 2, pollInterval: 0.5)], database: directory.file("archive.sqlite"))
        configuration.readTimeout = 1
        let configPath = try ArchiveBench.write(configuration, in: directory)
        let store = try ArchiveStore(path: configuration.database)
        let subscriber = try await ArchiveBench.persistentSubscriber(to: broker, filter: "aurora/+/event")

        let first = try BridgeProcess(configPath: configPath, logPath: directory.file("first.log"))
        try await Deadline.until("the bridge publishing", timeout: .seconds(20), interval: .milliseconds(50)) {
            try await store.events(source: "bridge").contains { $0.type == "started" }
        }
        try await broker.stop()
        try await Deadline.until("the first alarm stored", timeout: .seconds(20), interval: .milliseconds(50)) {
            try await store.events(source: "roof").contains { $0.payload.contains(#""code":13"#) && $0.type == "alarm_cleared" }
        }
        try await first.kill()
        let second = try BridgeProcess(configPath: configPath, logPath: directory.file("second.log"))
        try await Deadline.until("the second alarm stored", timeout: .seconds(20), interval: .milliseconds(50)) {
            try await store.events(source: "roof").contains { $0.payload.contains(#""code":18"#) && $0.type == "alarm_cleared" }
        }
        try await broker.start()
        let stored = try await store.events()
        try await Deadline.until("every stored event to arrive", timeout: .seconds(20), interval: .milliseconds(50)) {
            Set(subscriber.messages.filter { !$0.retain }.map(\.text)).isSuperset(of: stored.map(\.payload))
        }
        try await Deadline.until("every stored event to be marked delivered", timeout: .seconds(10), interval: .milliseconds(50)) {
            try await store.undeliveredEvents(after: nil, limit: 1_000).allSatisfy { $0.id > stored.last!.id }
        }
        #expect(try await second.terminate() == 0, "log: \(second.log)")

        let arrived = subscriber.messages.filter { !$0.retain }.map(\.text)
        #expect(Set(arrived).count == arrived.count, "none twice")
        let order = stored.map(\.payload)
        #expect(Array(arrived.filter(order.contains).prefix(order.count)) == order, "in the order of the log")
        let roof = stored.filter { $0.source == "roof" }.map(\.type)
        #expect(roof.filter { $0 == "alarm_raised" }.count == 2 && roof.filter { $0 == "alarm_cleared" }.count == 2, "\(roof)")
    }
}

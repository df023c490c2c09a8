import AuroraBridge
import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

extension ArchiveEndToEnd {
    /// The delivery window and the waiting store with the real binary, a real mosquitto and a
    /// persistent QoS 1 subscriber.
    @Suite struct WindowTests {
        /// A broker that keeps sessions and queues without limit for the subscriber.
        static func broker(in directory: TemporaryDirectory) async throws -> TestBroker {
            try await TestBroker.start(TestBroker.Options(extraConfiguration: [
                "persistence true", "persistence_location \(directory.path)/", "autosave_interval 0",
                "max_queued_messages 0",
            ]))
        }

        /// `count` one-minute records of `roof` ending before now, 33 fields each: 34 messages.
        static func backlog(_ count: Int) throws -> [ArchiveRecord] {
            let start = (Int64(Date().timeIntervalSince1970) - Int64(count + 10) * 60) / 60 * 60
            var archiver = Archiver(interval: try ArchiveInterval(seconds: 60))
            var records: [ArchiveRecord] = []
            for index in 0..<Int64(count) {
                let fields = (0..<33).map { LoopField(name: "backlog\($0)", value: .float(Float(index))) }
                records += archiver.add(LoopPacket(inverter: "roof", dateTime: start + index * 60 + 30, fields: fields))
            }
            return records + archiver.close(through: start + Int64(count) * 60)
        }

        /// The `dateTime`s of the summaries `subscriber` received (retained or not).
        static func receivedTimes(_ subscriber: TestSubscriber) throws -> [Int64] {
            try subscriber.messages(on: "aurora/roof/archive").map { try FlatJSON($0.text) }.compactMap { $0.integer("dateTime") }
        }

        @Test func aBacklogOfMoreMessagesThanTheIdSpaceSurvivesASigkillInTheReplayAndArrivesComplete() async throws {
            let directory = try TemporaryDirectory("archive-window")
            let broker = try await Self.broker(in: directory)
            let bus = try SimulatedBus.pseudoTerminal()
            defer { bus.stop() }
            let configuration = TestBridgeConfiguration(
                brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let configPath = try ArchiveBench.write(configuration, in: directory)
            let store = try ArchiveStore(path: configuration.database)
            let backlog = try Self.backlog(2_400)  // 81 600 messages
            for record in backlog { try await store.insert(record) }
            let database = ArchiveDatabase(path: configuration.database)
            let subscriber = try await ArchiveBench.persistentSubscriber(to: broker, filter: "aurora/roof/archive")

            let first = try BridgeProcess(configPath: configPath, logPath: directory.file("first.log"))
            try await Deadline.until("the replay to be under way", timeout: .seconds(60), interval: .milliseconds(20)) {
                try await store.undeliveredCount() <= backlog.count - 200
            }
            try await first.kill()
            let marked = Set(try database.rows().filter(\.delivered).map(\.dateTime))
            #expect(marked.count < backlog.count, "killed in the middle of the replay")
            // Only what the broker acknowledged is marked: all of it reaches the subscriber.
            try await Deadline.until("every record marked delivered to reach the subscriber", timeout: .seconds(30), interval: .milliseconds(500)) {
                subscriber.messages(on: "aurora/roof/archive").count >= marked.count
            }
            #expect(Set(try Self.receivedTimes(subscriber)).isSuperset(of: marked))

            let second = try BridgeProcess(configPath: configPath, logPath: directory.file("second.log"))
            let last = backlog.last!.dateTime
            try await Deadline.until("the whole backlog to be marked delivered", timeout: .seconds(120), interval: .milliseconds(200)) {
                try database.integer("SELECT COUNT(*) FROM archive WHERE delivered = 0 AND dateTime <= \(last)") == 0
            }
            try await Deadline.until("the whole backlog to reach the subscriber", timeout: .seconds(60), interval: .milliseconds(500)) {
                subscriber.messages(on: "aurora/roof/archive").count >= backlog.count
            }
            #expect(try await second.terminate() == 0, "log: \(second.log)")
            let received = try Self.receivedTimes(subscriber)
            #expect(Set(received).isSuperset(of: backlog.map(\.dateTime)), "every record at least once")
            #expect(received.count - backlog.count <= 64, "only the records in flight at the kill came twice: \(received.count)")
            #expect(!second.log.contains("handed out again"), "no message id reused in flight")
            #expect(try database.integrityCheck() == "ok")
        }

        @Test func archiveReplayOfMoreMessagesThanTheIdSpaceRepublishesAllAndCountsExactly() async throws {
            let directory = try TemporaryDirectory("archive-window-replay")
            let broker = try await Self.broker(in: directory)
            let configuration = TestBridgeConfiguration(
                brokerPort: Int(broker.port), busPort: directory.file("ttyAurora"), database: directory.file("archive.sqlite"))
            let configPath = try ArchiveBench.write(configuration, in: directory)
            let store = try ArchiveStore(path: configuration.database)
            let backlog = try Self.backlog(2_000)  // 68 000 messages
            for record in backlog { try await store.insert(record) }
            let subscriber = try await ArchiveBench.persistentSubscriber(to: broker, filter: "aurora/roof/archive")

            let (status, output) = try await ArchiveBench.run(["archive", "replay", "--config", configPath], in: directory, timeout: .seconds(120))
            #expect(status == 0, "\(output)")
            #expect(output.contains("replayed 2000 record(s): published 2000 record(s), 2000 acknowledged"), "\(output)")
            try await Deadline.until("every record to reach the subscriber", timeout: .seconds(60), interval: .milliseconds(500)) {
                subscriber.messages(on: "aurora/roof/archive").count >= backlog.count
            }
            #expect(try Self.receivedTimes(subscriber) == backlog.map(\.dateTime), "all of it, oldest first, once")
        }

        @Test func aWriteLockHeldLongerThanTheBusyTimeoutLosesNoInterval() async throws {
            let setup = try await LiveBridge.start("archive-window-lock")
            defer { setup.bus.stop() }
            let (subscriber, bridge, configuration) = (setup.subscriber, setup.bridge, setup.configuration)

            // Longer than the default busy timeout (5 s): the bridge must queue, not drop.
            let lock = try WriteLock(path: configuration.database)
            try lock.take()
            let before = subscriber.messages(on: "aurora/roof/archive").count
            try await Deadline.until("the bridge to publish from memory while locked", timeout: .seconds(30), interval: .milliseconds(100)) {
                bridge.log.contains("the archive is degraded") && subscriber.messages(on: "aurora/roof/archive").count >= before + 3
            }
            try lock.release()
            try await bridge.untilLog("the archive to catch up", timeout: .seconds(30)) { $0.contains("the archive caught up") }
            #expect(try await bridge.terminate() == 0, "log: \(bridge.log)")
            try await setup.expectEveryPublishedRecordStoredAsDelivered()
        }

        @Test func aReloadDuringABrokerAndDatabaseOutagePublishesNoRecordTwice() async throws {
            let setup = try await LiveBridge.start("archive-window-reload")
            defer { setup.bus.stop() }
            let (broker, store, subscriber, bridge, configuration) = (setup.broker, setup.store, setup.subscriber, setup.bridge, setup.configuration)

            try await broker.stop()
            try await Deadline.until("records waiting for the broker", timeout: .seconds(20), interval: .milliseconds(50)) {
                try await store.undeliveredCount() >= 2
            }
            let lock = try WriteLock(path: configuration.database)
            try lock.take()
            try await Deadline.until("records waiting in memory", timeout: .seconds(30), interval: .milliseconds(100)) {
                bridge.log.contains("the archive is degraded")
            }
            bridge.process.send(SIGHUP)
            try await bridge.untilLog("the reload", timeout: .seconds(20)) {
                $0.contains("bridge stopped for a reload") && $0.components(separatedBy: "bridge started").count == 3
            }
            try await broker.start()
            try lock.release()
            try await bridge.untilLog("the archive to catch up", timeout: .seconds(30)) { $0.contains("the archive caught up") }
            let stored = try await store.records().map(\.dateTime)
            try await Deadline.until("every stored record to arrive", timeout: .seconds(30), interval: .milliseconds(100)) {
                Set(try ArchiveBench.liveRecordTimes(subscriber)).isSuperset(of: stored)
            }
            #expect(try await bridge.terminate() == 0, "log: \(bridge.log)")
            let live = try ArchiveBench.liveRecordTimes(subscriber)
            #expect(live.count == Set(live).count, "no record twice: \(live)")
            // The events of the outage went from the first run to the second in memory, and
            // were stored once the lock was gone: each once, in order.
            let events = try await store.events().map(\.type)
            let outage = events.filter { ["archive_degraded", "configuration_reloaded", "archive_recovered", "stopped"].contains($0) }
            #expect(outage == ["archive_degraded", "configuration_reloaded", "archive_recovered", "stopped"], "\(events)")
        }
    }
}

/// A bridge running on a one-second archive interval with a persistent subscriber to its
/// archive topic, once it has stored a first record.
struct LiveBridge {
    let directory: TemporaryDirectory
    let broker: TestBroker
    let bus: SimulatedBus
    let configuration: TestBridgeConfiguration
    let store: ArchiveStore
    let subscriber: TestSubscriber
    let bridge: BridgeProcess

    /// Starts it; the database is `archive.sqlite` in a fresh folder unless `database` says where.
    static func start(_ name: String, database: String? = nil, statsInterval: Double = 60) async throws -> LiveBridge {
        let directory = try TemporaryDirectory(name)
        let broker = try await ArchiveEndToEnd.WindowTests.broker(in: directory)
        let bus = try SimulatedBus.pseudoTerminal()
        var configuration = TestBridgeConfiguration(
            brokerPort: Int(broker.port), busPort: bus.linkPath!, database: database ?? directory.file("archive.sqlite"))
        configuration.archiveInterval = 1
        configuration.statsInterval = statsInterval
        let configPath = try ArchiveBench.write(configuration, in: directory)
        let store = try ArchiveStore(path: configuration.database)
        let subscriber = try await ArchiveBench.persistentSubscriber(to: broker, filter: "aurora/roof/archive")
        let bridge = try BridgeProcess(configPath: configPath, logPath: directory.file("bridge.log"))
        try await Deadline.until("a first record", timeout: .seconds(20), interval: .milliseconds(50)) {
            try await store.records().count >= 1
        }
        return LiveBridge(
            directory: directory, broker: broker, bus: bus, configuration: configuration, store: store,
            subscriber: subscriber, bridge: bridge)
    }

    /// Checks, once the bridge stopped, that every record the subscriber received live is in
    /// the archive, marked delivered (those published from memory during a fault too).
    func expectEveryPublishedRecordStoredAsDelivered() async throws {
        let published = Set(try ArchiveBench.liveRecordTimes(subscriber))
        let stored = try await store.records()
        #expect(Set(stored.map(\.dateTime)).isSuperset(of: published), "every interval published is in the archive")
        let undelivered = try await store.undelivered(limit: 10_000).map(\.dateTime)
        #expect(published.isDisjoint(with: undelivered), "those published during the fault were stored with their delivered mark")
    }
}

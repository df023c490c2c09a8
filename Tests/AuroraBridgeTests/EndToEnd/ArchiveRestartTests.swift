import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

extension ArchiveEndToEnd {
    /// `aurora-bridge run` stopped with SIGTERM in the middle of an archive interval.
    @Suite struct RestartTests {
        static let interval: Int64 = 8

        /// The loop packets `subscriber` received stamped in the interval ending `end`.
        static func packets(_ subscriber: TestSubscriber, in end: Int64) throws -> [FlatJSON] {
            try ArchiveBench.livePackets(subscriber).filter {
                ArchiveBench.intervalEnd($0.integer("dateTime")!, length: interval) == end
            }
        }

        /// How many times `subscriber` saw the bridge state `state`.
        static func states(_ subscriber: TestSubscriber, _ state: String) -> Int {
            subscriber.messages(on: "aurora/bridge/state").filter { !$0.retain && $0.text == state }.count
        }

        /// Stops `bridge` with SIGTERM and waits until its `offline` has arrived, so that every loop
        /// packet it published before has arrived too.
        static func terminate(_ bridge: BridgeProcess, _ subscriber: TestSubscriber) async throws {
            let offline = states(subscriber, "offline")
            #expect(try await bridge.terminate() == 0, "log: \(bridge.log)")
            try await Deadline.until("offline", timeout: .seconds(5)) { states(subscriber, "offline") > offline }
        }

        @Test func sigtermSavesTheOpenIntervalWhichARestartResumesOrClosesAfterTheBoundary() async throws {
            let directory = try TemporaryDirectory("archive-sigterm")
            let broker = try await TestBroker.start()
            let bus = try SimulatedBus.pseudoTerminal()
            defer { bus.stop() }
            var configuration = TestBridgeConfiguration(
                brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.archiveInterval = Int(Self.interval)
            let configPath = try ArchiveBench.write(configuration, in: directory)
            let store = try ArchiveStore(path: configuration.database)
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#", qos: .atLeastOnce)

            // The first bridge collects a few packets of an interval it saw from the start, and stops.
            let first = try BridgeProcess(configPath: configPath, logPath: directory.file("first.log"))
            let firstPacket = try FlatJSON(try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(15)).text)
            let resumed = ArchiveBench.intervalEnd(firstPacket.integer("dateTime")!, length: Self.interval) + Self.interval
            try await Deadline.until("three packets of the interval ending \(resumed)", timeout: .seconds(15)) {
                try Self.packets(subscriber, in: resumed).count >= 3
            }
            try await Self.terminate(first, subscriber)
            let before = try Self.packets(subscriber, in: resumed).count
            let saved = try await store.loadPartial()
            #expect(saved.map(\.end) == [resumed] && saved.map(\.count) == [before], "the open interval is saved")

            // A second bridge starts within the same interval. The bus is unplugged until it is
            // connected, so every packet it archives is also published (loop packets are not
            // published while disconnected).
            bus.disconnect()
            let second = try BridgeProcess(configPath: configPath, logPath: directory.file("second.log"))
            try await Deadline.until("the second bridge online", timeout: .seconds(10)) { Self.states(subscriber, "online") >= 2 }
            try bus.reconnect()
            let left = Double(resumed) - Date().timeIntervalSince1970
            try await Deadline.until("a packet of the second bridge before the interval ends (\(left) s left)", timeout: .seconds(max(left, 0.1))) {
                try Self.packets(subscriber, in: resumed).count > before
            }
            let record = try FlatJSON(try await subscriber.waitForMessage(topic: "aurora/roof/archive", timeout: .seconds(15)) {
                (try? FlatJSON($0.text))?.integer("dateTime") == resumed
            }.text)
            let total = try Self.packets(subscriber, in: resumed).count
            #expect(record.integer("count") == Int64(total) && total > before, "\(before) packets before the restart, \(total) in all: \(record)")

            // The second bridge stops in the next interval; a third starts after its end.
            let closed = resumed + Self.interval
            try await Deadline.until("three packets of the interval ending \(closed)", timeout: .seconds(15)) {
                try Self.packets(subscriber, in: closed).count >= 3
            }
            try await Self.terminate(second, subscriber)
            let collected = try Self.packets(subscriber, in: closed).count
            #expect(try await store.loadPartial().map(\.end) == [closed])
            try await Deadline.until("the interval ending \(closed) to be over", timeout: .seconds(15)) {
                Date().timeIntervalSince1970 > Double(closed) + 0.5
            }
            let third = try BridgeProcess(configPath: configPath, logPath: directory.file("third.log"))
            let late = try FlatJSON(try await subscriber.waitForMessage(topic: "aurora/roof/archive", timeout: .seconds(15)) {
                (try? FlatJSON($0.text))?.integer("dateTime") == closed
            }.text)
            #expect(late.integer("count") == Int64(collected), "the saved interval is its own record: \(late)")
            #expect(try await store.loadPartial().isEmpty, "the saved interval was taken up")
            try await Self.terminate(third, subscriber)

            let stored = try await store.records(from: resumed, to: closed)
            #expect(stored.map(\.dateTime) == [resumed, closed] && stored.map(\.count) == [total, collected])
            let undelivered = try ArchiveDatabase(path: configuration.database).rows().filter { !$0.delivered }.map(\.dateTime)
            #expect(undelivered.allSatisfy { $0 > closed }, "records left undelivered: \(undelivered), last checked \(closed)")
        }
    }
}

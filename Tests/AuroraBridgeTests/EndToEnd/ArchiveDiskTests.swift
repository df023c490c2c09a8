import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

extension ArchiveEndToEnd {
    /// The archive's database on a disk that fills up, with the real binary and a real broker.
    @Suite(.enabled(if: TestFilesystem.mayMount, "mounting a small tmpfs for the database needs root"))
    struct DiskTests {
        @Test func aFullDiskKeepsLiveDataGoingAndTheArchiveCatchesUpOnceThereIsRoomAgain() async throws {
            let filesystem = try await TestFilesystem.mount(megabytes: 16)
            do {
                try await fullDisk(filesystem)
            } catch {
                await filesystem.unmount()
                throw error
            }
            await filesystem.unmount()
        }

        private func fullDisk(_ filesystem: TestFilesystem) async throws {
            let setup = try await LiveBridge.start("archive-full-disk", database: filesystem.file("archive.sqlite"), statsInterval: 1)
            defer { setup.bus.stop() }
            let (store, subscriber, bridge) = (setup.store, setup.subscriber, setup.bridge)
            let watcher = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/#", qos: .atMostOnce)

            filesystem.fill()
            let before = subscriber.messages(on: "aurora/roof/archive").count
            do {
                try await Deadline.until("the bridge to publish from memory while the disk is full", timeout: .seconds(30), interval: .milliseconds(100)) {
                    bridge.log.contains("the archive is degraded") && subscriber.messages(on: "aurora/roof/archive").count >= before + 3
                }
            } catch {
                Issue.record("log: \(bridge.log)")
                throw error
            }
            let loopDuringFault = try ArchiveBench.livePackets(watcher).count
            try await Deadline.until("live loop packets while the disk is full", timeout: .seconds(20), interval: .milliseconds(100)) {
                try ArchiveBench.livePackets(watcher).count >= loopDuringFault + 3
            }
            try await Deadline.until("the stats to say the archive is degraded, with the queue", timeout: .seconds(20), interval: .milliseconds(100)) {
                guard let stats = Self.stats(watcher) else { return false }
                return stats["archiveDegraded"] as? Bool == true && (stats["archiveQueued"] as? Int ?? 0) >= 1
            }
            #expect(bridge.log.contains("queued"), "the log gives the queue count")

            filesystem.empty()
            try await Deadline.until("the archive to catch up", timeout: .seconds(30), interval: .milliseconds(100)) {
                bridge.log.contains("the archive caught up")
            }
            try await Deadline.until("the stats to say the archive is healthy", timeout: .seconds(20), interval: .milliseconds(100)) {
                Self.stats(watcher)?["archiveDegraded"] as? Bool == false
            }
            #expect(try await bridge.terminate() == 0, "log: \(bridge.log)")

            try await setup.expectEveryPublishedRecordStoredAsDelivered()
            #expect(try ArchiveDatabase(path: store.path).integrityCheck() == "ok")
        }

        /// The latest stats payload `subscriber` received, parsed.
        static func stats(_ subscriber: TestSubscriber) -> [String: Any]? {
            guard let last = subscriber.messages(on: "aurora/bridge/stats").last else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(last.payload))) as? [String: Any]
        }
    }
}

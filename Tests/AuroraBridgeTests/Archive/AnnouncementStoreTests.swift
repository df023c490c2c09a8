import GRDB
import Testing

@testable import AuroraBridge

/// The record of announced retained topics (schema v4).
@Suite struct AnnouncementStoreTests {
    static let device = Announcement(topic: "homeassistant/device/aurora_roof/config", kind: .device, owner: "aurora_roof")
    static let status = Announcement(topic: "aurora/roof/availability", kind: .status, owner: "roof")

    @Test func recordedTopicsStayUntilForgotten() async throws {
        try await withTemporaryDirectory { folder in
            let store = try ArchiveStore(path: folder + "/archive.sqlite")
            #expect(try await store.announcements().isEmpty)
            #expect(try await store.announcementsUnrecorded() == false, "a fresh database assumes nothing")
            try await store.recordAnnouncements([Self.device, Self.status])
            let moved = Announcement(topic: Self.status.topic, kind: .status, owner: "garage")
            try await store.recordAnnouncements([moved])
            #expect(try await store.announcements() == [moved, Self.device])
            try await store.forgetAnnouncements(topics: [Self.status.topic, "never/recorded"])
            let reopened = try ArchiveStore(path: folder + "/archive.sqlite")
            #expect(try await reopened.announcements() == [Self.device])
        }
    }

    @Test func aDatabaseUsedBeforeVersion4AssumesTheEarlierAnnouncementsUntilTheFirstRecord() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            let pool = try DatabasePool(path: path)
            try ArchiveSchema.migrator(path: path).migrate(pool, upTo: "v3")
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO counter_state (serialNumber, state) VALUES ('240002', '{}')")
            }
            try pool.close()
            let store = try ArchiveStore(path: path)
            #expect(try await store.announcementsUnrecorded())
            #expect(try await store.announcements().isEmpty, "the marker is no announcement")
            try await store.recordAnnouncements([Self.device])
            #expect(try await store.announcementsUnrecorded() == false)
            #expect(try await store.announcements() == [Self.device])
        }
    }
}

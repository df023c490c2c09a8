import AuroraTestSupport
import Mosquitto
import Testing

@testable import AuroraBridge

/// The record of announced topics, kept by the announcements service against a real store.
@Suite struct AnnouncementServiceTests {
    /// A status topic of an inverter no longer configured: the cleanup clears it.
    private let gone = Announcement(topic: "aurora/gone/availability", kind: .status, owner: "gone")

    /// A store in `folder` that recorded what the minimal configuration announces and `gone`,
    /// the service with the cleanup planned from it, and what it needs.
    private func setUp(in folder: String) async throws -> (AnnouncementService, ArchiveStore, InMemoryOutput, Publisher, AnnouncementPlan?, [Announcement]) {
        let configuration = try parse(minimalConfig)
        let store = try ArchiveStore(path: folder + "/archive.sqlite", busyTimeout: .seconds(5))
        let current = HomeAssistantDiscovery(configuration: configuration).announcements()
        try await store.recordAnnouncements(current + [gone])
        let plan = await AnnouncementService.plan(configuration: configuration, store: store, logger: .init(label: "test"))
        let output = InMemoryOutput(connected: false)
        let publisher = Publisher(client: output, configuration: configuration, cleanup: plan)
        let service = AnnouncementService(
            events: output.events(bufferingPolicy: AnnouncementService.buffering), publisher: publisher, store: store,
            current: current, logger: .init(label: "test"))
        return (service, store, output, publisher, plan, current)
    }

    @Test func itRecordsWhatIsAnnouncedAndForgetsTheClearedTopicsOnceAcknowledged() async throws {
        try await withTemporaryDirectory { folder in
            let (service, store, output, publisher, plan, current) = try await setUp(in: folder)
            #expect(plan?.clears == [gone.topic])
            try await withRunning(service) {
                try await Deadline.until("the current announcements recorded", timeout: .seconds(60)) { try await store.announcements().count == current.count + 1 }
                output.connect()
                await publisher.connected()
                let cleared = try #require(output.messages.first { $0.topic == gone.topic })
                #expect(cleared.text.isEmpty && cleared.retain)
                output.acknowledge(cleared.id)
                try await Deadline.until("the cleared topic forgotten", timeout: .seconds(60)) { try await store.announcements().count == current.count }
            }
            #expect(Set(try await store.announcements()) == Set(current))
        }
    }

    @Test func aTopicWhoseEmptyMessageWasNeverAcknowledgedStaysRecorded() async throws {
        try await withTemporaryDirectory { folder in
            let (service, store, output, publisher, _, _) = try await setUp(in: folder)
            try await withRunning(service) {
                output.connect()
                await publisher.connected()
            }
            #expect(try await store.announcements().contains(gone))
        }
    }
}

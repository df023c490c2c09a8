import Logging
import Mosquitto
import ServiceLifecycle

/// Keeps the state database's record of announced retained topics true: when it starts it
/// records what this configuration announces; once the broker acknowledged every
/// empty message of the ``Publisher``'s cleanup, it forgets the cleared topics. A topic whose
/// empty message was never acknowledged (broker gone, bridge stopped) stays recorded and is
/// cleared again on the next start.
struct AnnouncementService: Service, CustomStringConvertible {
    let events: AsyncStream<MosquittoEvent>
    let publisher: Publisher
    let store: ArchiveStore
    /// What the configuration announces, recorded when the service starts.
    let current: [Announcement]
    let logger: Logger

    var description: String { "announcements" }

    /// The events stream's buffer: the service reads it until the cleanup is acknowledged and
    /// then no more, so it holds at most this many events afterwards.
    static let buffering = AsyncStream<MosquittoEvent>.Continuation.BufferingPolicy.bufferingNewest(1024)

    /// The cleanup from what `store` recorded to what `configuration` announces (only reads, so
    /// the start is not held up by a write). After an upgrade from a version that kept no
    /// record, it assumes what that version announced. A store that cannot be read gives no
    /// cleanup.
    static func plan(configuration: BridgeConfiguration, store: ArchiveStore, logger: Logger) async -> AnnouncementPlan? {
        let discovery = HomeAssistantDiscovery(configuration: configuration)
        let current = discovery.announcements()
        do {
            let recorded = try await store.announcements()
            let unrecorded = try await store.announcementsUnrecorded()
            let previous = unrecorded ? discovery.assumedEarlierAnnouncements() : recorded
            return AnnouncementPlan(previous: previous, current: current, currentKeys: discovery.announcedKeys())
        } catch {
            logger.warning("cannot use the record of announced topics; nothing is cleared", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Records the current announcements (the old ones stay recorded until cleared), then
    /// forgets the cleared topics once every empty message was acknowledged.
    func run() async throws {
        do {
            try await store.recordAnnouncements(current)
        } catch {
            logger.warning("cannot record the announced topics", metadata: ["error": "\(error)"])
        }
        let events = events
        await cancelWhenGracefulShutdown {
            for await event in events {
                var id: MessageID?
                if case .published(let acknowledged) = event { id = acknowledged }
                guard let cleared = await publisher.cleanupAcknowledged(id) else { continue }
                do {
                    try await store.forgetAnnouncements(topics: cleared)
                    if !cleared.isEmpty { logger.info("cleared \(cleared.count) retained topic(s) no longer announced") }
                } catch ArchiveStoreError.cancelled {
                    // Stopping (a reload, a shutdown): the topics stay recorded for the next run.
                } catch {
                    logger.warning("cleared topics stay recorded", metadata: ["error": "\(error)"])
                }
                return
            }
        }
        try? await gracefulShutdown()
    }
}

import AuroraLink
import ServiceLifecycle

/// The event log's service: runs the ``EventRecorder`` (which stores events in the background)
/// and records the bridge's own events that no other part records as they happen: the archive
/// database degraded and recovered (every turn of the outbox's status) and the bus's port back after it was
/// lost (the link's recoveries), checked every second; and `stopped` when the bridge stops for
/// good (a reload records `configuration_reloaded` when the next run starts instead, and hands
/// the events not stored yet to it through the session).
///
/// It is started right after the MQTT events and so stopped right before them: `stopped` is
/// stored, and handed to the broker while the connection is still up.
struct EventLogService: Service, CustomStringConvertible {
    let recorder: EventRecorder
    let session: BrokerSession
    let link: Link
    let clock: any WallClock
    let reloading: Locked<Bool>

    /// How often the outbox and the link are looked at, in seconds.
    static let checkInterval = 1.0

    var description: String { "events" }

    func run() async throws {
        await withTaskGroup { group in
            group.addTask { await recorder.run() }
            await watch()
            await recordHealthChanges()
            if !reloading.value { await recorder.record(.stopped) }
            await recorder.finish(storing: !reloading.value)
        }
        if reloading.value { session.handOver(events: await recorder.handOver()) }
    }

    /// Records the outbox's and the link's changes until the graceful shutdown.
    private func watch() async {
        let initialRecoveries = await link.statistics.recoveries
        try? await cancelWhenGracefulShutdown {
            var recoveries = initialRecoveries
            var next = clock.monotonicNow()
            while !Task.isCancelled {
                next += Self.checkInterval
                try await clock.sleep(untilMonotonic: next)
                recorder.retryIfDue()
                await recordHealthChanges()
                let now = await link.statistics.recoveries
                if now > recoveries {
                    recoveries = now
                    await recorder.record(.portReopened, details: [("port", .text(link.configuration.port.description))])
                }
            }
        }
    }

    /// Records the archive's turns between degraded and recovered since the last look.
    private func recordHealthChanges() async {
        for degraded in await session.outbox.takeHealthChanges() {
            await recorder.record(degraded ? .archiveDegraded : .archiveRecovered)
        }
    }
}

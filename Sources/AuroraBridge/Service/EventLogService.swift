import AuroraLink
import ServiceLifecycle

/// The bridge's own events that no other part records as they happen: the archive database
/// degraded and recovered (the outbox's status) and the bus's port back after it was lost (the
/// link's recoveries), checked every second; and `stopped` when the bridge stops for good (a
/// reload records `configuration_reloaded` when the next run starts instead).
///
/// It is started right after the MQTT events and so stopped right before them: `stopped` is
/// stored, and handed to the broker while the connection is still up.
struct EventLogService: Service, CustomStringConvertible {
    let recorder: EventRecorder
    let outbox: ArchiveOutbox
    let link: Link
    let clock: any WallClock
    let reloading: Locked<Bool>

    /// How often the outbox and the link are looked at, in seconds.
    static let checkInterval = 1.0

    var description: String { "events" }

    func run() async throws {
        let initialRecoveries = await link.statistics.recoveries
        try? await cancelWhenGracefulShutdown {
            var degraded = false
            var recoveries = initialRecoveries
            var next = clock.monotonicNow()
            while !Task.isCancelled {
                next += Self.checkInterval
                try await clock.sleep(untilMonotonic: next)
                let status = await outbox.status
                if status.degraded != degraded {
                    degraded = status.degraded
                    await recorder.record(degraded ? .archiveDegraded : .archiveRecovered)
                }
                let now = await link.statistics.recoveries
                if now > recoveries {
                    recoveries = now
                    await recorder.record(.portReopened, details: [("port", .text(link.configuration.port.description))])
                }
            }
        }
        if !reloading.value { await recorder.record(.stopped) }
        await recorder.flush()
    }
}

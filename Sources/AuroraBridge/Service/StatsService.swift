import AuroraLink
import ServiceLifecycle

/// Publishes the bridge's counters on the stats topic every `[stats] interval`, on the
/// monotonic clock: a step of the wall clock neither bunches nor stops the stats.
struct StatsService: Service, CustomStringConvertible {
    let interval: Double
    let clock: any WallClock
    let started: Double
    let publisher: Publisher
    let link: Link
    let archive: ArchiveDelivery
    let outbox: ArchiveOutbox
    let counters: Locked<BridgeCounters>

    var description: String { "stats" }

    func run() async throws {
        try await runUntilGracefulShutdown {
            var next = clock.monotonicNow() + interval
            while true {
                try await clock.sleep(untilMonotonic: next)
                next += interval
                let json = counters.value.json(
                    uptime: clock.monotonicNow() - started, link: await link.statistics,
                    archiveBacklog: await archive.backlog(), archive: await outbox.status)
                await publisher.publish(stats: json)
            }
        }
    }
}

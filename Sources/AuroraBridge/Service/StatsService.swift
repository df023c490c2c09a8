import AuroraLink
import AuroraProtocol
import ServiceLifecycle

/// Publishes the bridge's counters on the stats topic every `[stats] interval`, on the
/// monotonic clock: a step of the wall clock neither bunches nor stops the stats. Adds
/// `busUtilization`, the share of the last interval the bus spent in transactions.
struct StatsService: Service, CustomStringConvertible {
    let interval: Double
    let clock: any WallClock
    let started: Double
    let publisher: Publisher
    let link: Link
    /// The inverters' names by address, for `replyTimeouts`.
    let inverters: [UInt8: String]
    let archive: ArchiveDelivery
    let outbox: ArchiveOutbox
    let counters: Locked<BridgeCounters>
    /// Where the last `busUtilization` is kept for the status page.
    let busUtilization: Locked<FieldValue?>

    var description: String { "stats" }

    func run() async throws {
        try await runUntilGracefulShutdown {
            var next = clock.monotonicNow() + interval
            var busy = (at: clock.monotonicNow(), seconds: await link.statistics.busySeconds)
            while true {
                try await clock.sleep(untilMonotonic: next)
                next += interval
                let statistics = await link.statistics
                let now = clock.monotonicNow()
                let utilization = Self.utilization(busySeconds: statistics.busySeconds - busy.seconds, over: now - busy.at)
                busy = (now, statistics.busySeconds)
                var json = counters.value.json(
                    uptime: now - started, link: statistics, inverters: inverters,
                    archiveBacklog: await archive.backlog(), archive: await outbox.status)
                if let utilization { json.add("busUtilization", utilization) }
                busUtilization.withLock { $0 = utilization }
                await publisher.publish(stats: json)
            }
        }
    }

    /// `busUtilization`: the share of `seconds` of wall time the bus was busy for, 0 to 1 to
    /// three decimals; nil for an empty interval.
    static func utilization(busySeconds: Double, over seconds: Double) -> FieldValue? {
        guard seconds > 0 else { return nil }
        return .double((min(max(busySeconds / seconds, 0), 1) * 1000).rounded() / 1000)
    }
}

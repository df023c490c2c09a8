import Logging

/// Turns loop packets into archive records and hands them to the ``ArchiveOutbox``, which
/// stores them and gets them to the broker (see there for the delivery window, the order and
/// what happens while the database cannot be written).
///
/// One per run of the bridge: its ``Archiver`` follows the run's configuration, and the open
/// intervals are saved on every stop and restored on the next start.
public actor ArchiveDelivery {
    private let store: ArchiveStore
    private let outbox: ArchiveOutbox
    private let logger: Logger
    private var archiver: Archiver
    /// The inverters (and the plant) this run archives.
    private let inverters: Set<String>

    /// A delivery pipeline aggregating with `archiver`, sending through `outbox` (attached to
    /// `store`), and saving the open intervals in `store`.
    public init(
        archiver: Archiver, store: ArchiveStore, outbox: ArchiveOutbox, inverters: Set<String>,
        logger: Logger = Logger(label: "aurora.archive")
    ) {
        self.inverters = inverters
        self.archiver = archiver
        self.interval = archiver.interval
        self.store = store
        self.outbox = outbox
        self.logger = logger
    }

    /// Restores the intervals that were open at the last clean stop; any that have ended since
    /// become records now.
    public func restoreOpenIntervals(now: Int64) async {
        do {
            let saved = try await store.loadPartial()
            try await store.clearPartial()
            await resume(saved, now: now)
        } catch {
            logger.error("could not restore open archive intervals", metadata: ["error": "\(error)"])
        }
    }

    /// Continues the intervals a previous run handed over in memory (a reload); any that have
    /// ended since become records now.
    public func resume(_ intervals: [IntervalAccumulator], now: Int64) async {
        // An inverter no longer configured (renamed or removed) is not archived again: its
        // record would bring back the retained topics the cleanup clears.
        let dropped = intervals.filter { !inverters.contains($0.inverter) }
        if !dropped.isEmpty {
            logger.notice("dropping open archive intervals of inverters no longer configured", metadata: [
                "inverters": "\(Set(dropped.map(\.inverter)).sorted())",
            ])
        }
        let intervals = intervals.filter { inverters.contains($0.inverter) }
        guard !intervals.isEmpty else { return }
        logger.info("resuming open archive intervals", metadata: ["count": "\(intervals.count)"])
        let restored = archiver.restore(intervals)
        await submit(restored + archiver.close(through: now))
    }

    /// The open intervals, for the next run after a reload: handed over in memory, so a reload
    /// neither waits for a busy database nor loses them to it. The records queued for the
    /// database stay with the ``ArchiveOutbox``, which outlives the reload.
    public func handOverOpenIntervals() -> [IntervalAccumulator] {
        archiver.snapshot()
    }

    /// Saves the open intervals so a restart within the same interval resumes them, and
    /// waits for the records queued for the database to be written.
    public func saveOpenIntervals() async {
        await outbox.flush()
        do {
            try await store.savePartial(archiver.snapshot())
        } catch {
            logger.error("could not save open archive intervals", metadata: ["error": "\(error)"])
        }
    }

    /// Adds a loop packet; records of intervals it closes are stored and published.
    ///
    /// A packet older than the last closed interval (the wall clock stepped back) is skipped;
    /// the log says so once when skipping begins and once, with the count, when it ends.
    public func add(_ packet: LoopPacket) async {
        let ignored = archiver.ignoredPackets
        let closed = archiver.add(packet)
        noteSkipping(packet, skipped: archiver.ignoredPackets > ignored)
        await submit(closed)
    }

    /// Packets skipped in the current episode, by inverter.
    private var skipping: [String: Int] = [:]

    private func noteSkipping(_ packet: LoopPacket, skipped: Bool) {
        let inverter = packet.inverter
        if skipped {
            if skipping[inverter] == nil {
                logger.warning("skipping loop packets older than the last archived interval (the wall clock stepped back?)", metadata: [
                    "inverter": "\(inverter)", "dateTime": "\(packet.dateTime)",
                ])
            }
            skipping[inverter, default: 0] += 1
        } else if let count = skipping.removeValue(forKey: inverter) {
            logger.notice("archiving loop packets again", metadata: ["inverter": "\(inverter)", "skipped": "\(count)", "dateTime": "\(packet.dateTime)"])
        }
    }

    /// Closes every interval that ended by `now`; called at each boundary.
    public func close(through now: Int64) async {
        let closed = archiver.close(through: now)
        await submit(closed)
    }

    /// The next interval boundary after `now`.
    public nonisolated func nextBoundary(after now: Int64) -> Int64 {
        interval.end(containing: now + 1)
    }

    private nonisolated let interval: ArchiveInterval

    /// Hands each record to the outbox, which stores and publishes it without making the
    /// caller wait for the database.
    private func submit(_ records: [ArchiveRecord]) async {
        for record in records { await outbox.submit(record) }
    }

    /// How many records are not delivered yet, or nil if the store cannot say (the error is
    /// logged; a guess would be a wrong number on the stats topic).
    public func backlog() async -> Int? {
        do {
            return try await store.undeliveredCount()
        } catch {
            logger.error("could not count undelivered archive records", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Deletes delivered records and events older than `keepDays` days before `now`.
    public func prune(now: Int64, keepDays: Int) async {
        do {
            let cutoff = now - Int64(keepDays) * 86_400
            let removed = try await store.prune(deliveredBefore: cutoff)
            if removed > 0 { logger.info("pruned delivered archive records", metadata: ["count": "\(removed)"]) }
            let events = try await store.pruneEvents(deliveredBefore: cutoff)
            if events > 0 { logger.info("pruned delivered events", metadata: ["count": "\(events)"]) }
        } catch {
            logger.error("could not prune the archive", metadata: ["error": "\(error)"])
        }
    }
}

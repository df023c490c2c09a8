/// Closes the archive's intervals on time, whatever the wall clock does, and prunes delivered
/// records once a day.
///
/// An interval ending at boundary `B` is closed a grace period after `B` (see
/// ``Archiver``'s timing note). The closer waits on the monotonic clock, in steps of at most
/// ``checkInterval``, re-reading the wall clock after each:
/// - Wall clock stepped forward past the close time: every interval that ended by then is
///   closed at once (within one check interval), not an interval's length later.
/// - Wall clock stepped back: the interval that was open is still closed when its time comes on
///   the monotonic clock; the next boundary is then taken from the wall clock again. Packets
///   stamped before the last closed boundary are skipped by the archive (as WeeWX does), which
///   says so once in the log.
public struct ArchiveCloser: Sendable {
    /// The archive whose intervals are closed.
    public let archive: ArchiveDelivery
    /// Where time comes from.
    public let clock: any WallClock
    /// Seconds after a boundary before its interval is closed.
    public let grace: Double
    /// Delivered records older than this many days are pruned.
    public let keepDays: Int
    /// The longest monotonic wait before the wall clock is read again, in seconds.
    public let checkInterval: Double

    /// A closer for `archive`.
    /// - Parameters:
    ///   - grace: Seconds after a boundary before its interval is closed: the longest poll
    ///     interval plus one request's worst case plus 1 s.
    ///   - checkInterval: The longest wait before the wall clock is read again (default 5 s).
    public init(archive: ArchiveDelivery, clock: any WallClock, grace: Double, keepDays: Int, checkInterval: Double = 5) {
        self.archive = archive
        self.clock = clock
        self.grace = grace
        self.keepDays = keepDays
        self.checkInterval = checkInterval
    }

    /// Closes intervals until the task is cancelled.
    public func run() async throws {
        let length = archive.nextBoundary(after: 0)
        var boundary = archive.nextBoundary(after: Int64((clock.now() - grace).rounded(.down)))
        var due = clock.monotonicNow() + max(0, Double(boundary) + grace - clock.now())
        var lastPrune = Int64.min
        while !Task.isCancelled {
            try await clock.sleep(untilMonotonic: min(due, clock.monotonicNow() + checkInterval))
            try Task.checkCancellation()
            let wall = clock.now()
            let monotonic = clock.monotonicNow()
            guard monotonic >= due || Double(boundary) + grace <= wall else { continue }
            let passed = archive.nextBoundary(after: Int64((wall - grace).rounded(.down))) - length
            let through = max(boundary, passed)
            await archive.close(through: through)
            if lastPrune == .min || through - lastPrune >= 86_400 {
                await archive.prune(now: through, keepDays: keepDays)
                lastPrune = through
            }
            boundary = max(through + length, archive.nextBoundary(after: Int64((wall - grace).rounded(.down))))
            due = monotonic + max(0, Double(boundary) + grace - wall)
        }
    }
}

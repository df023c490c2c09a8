import AuroraBridge

/// A virtual wall clock for unit tests: it stands still until someone sleeps, then jumps to
/// the end of that sleep. Schedules run at full speed and their timing is exact.
struct SteppingClock: WallClock {
    private let time: Locked<Double>

    /// A clock showing `start`.
    init(start: Double) { time = Locked(start) }

    func now() -> Double { time.value }

    func sleep(until deadline: Double) async throws {
        try Task.checkCancellation()
        time.withLock { $0 = max($0, deadline) }
        await Task.yield()
    }
}

extension SteppingClock {
    func monotonicNow() -> Double { now() }

    func sleep(untilMonotonic deadline: Double) async throws { try await sleep(until: deadline) }
}

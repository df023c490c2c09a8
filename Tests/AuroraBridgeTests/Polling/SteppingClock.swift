import AuroraBridge

/// A virtual clock for unit tests: it stands still until someone sleeps, then jumps to the end
/// of that sleep. Schedules run at full speed and their timing is exact. The wall reading is
/// the monotonic one plus an offset that ``step(by:)`` changes, as NTP steps a host clock.
struct SteppingClock: WallClock {
    private let time: Locked<Double>
    private let offset = Locked(0.0)

    /// A clock showing `start`.
    init(start: Double) { time = Locked(start) }

    /// Steps the wall reading by `seconds` (negative: back); the monotonic one is unchanged.
    func step(by seconds: Double) { offset.withLock { $0 += seconds } }

    func now() -> Double { time.value + offset.value }

    func sleep(until deadline: Double) async throws {
        try await sleep(untilMonotonic: deadline - offset.value)
    }

    func monotonicNow() -> Double { time.value }

    func sleep(untilMonotonic deadline: Double) async throws {
        try Task.checkCancellation()
        time.withLock { $0 = max($0, deadline) }
        await Task.yield()
    }
}

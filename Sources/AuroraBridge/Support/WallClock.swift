#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The bridge's sources of time: the wall clock, which stamps packets and archive intervals and
/// may step (NTP correcting a bad clock), and a monotonic clock at the same rate that never
/// steps, on which polls, probes, stats and the watchdog are scheduled. Tests and the demo
/// inject a faster clock to run a simulated day in seconds.
public protocol WallClock: Sendable {
    /// The current wall-clock time in Unix seconds (may step).
    func now() -> Double
    /// Suspends until the wall clock reads `time` (returns at once if it already does). A step
    /// during the wait is not noticed: schedule on ``sleep(untilMonotonic:)`` instead.
    func sleep(until time: Double) async throws
    /// Seconds on a timeline that never steps and runs at the wall clock's rate (its origin is
    /// arbitrary: compare readings only with each other).
    func monotonicNow() -> Double
    /// Suspends until ``monotonicNow()`` reads `time` (returns at once if it already does).
    func sleep(untilMonotonic time: Double) async throws
}

/// The host's real clocks: the system wall clock and Swift's continuous clock.
public struct SystemWallClock: WallClock {
    private static let origin = ContinuousClock.now

    /// The host clocks.
    public init() {}

    public func now() -> Double { Date().timeIntervalSince1970 }

    public func sleep(until time: Double) async throws {
        let delay = time - now()
        if delay > 0 { try await Task.sleep(for: .microseconds(Int64(delay * 1_000_000))) }
    }

    public func monotonicNow() -> Double { (ContinuousClock.now - Self.origin).seconds }

    public func sleep(untilMonotonic time: Double) async throws {
        try await Task.sleep(until: Self.origin + .microseconds(Int64(time * 1_000_000)), clock: .continuous)
    }
}

/// A clock that starts at a chosen Unix time and runs `scale` times faster than real time; it
/// never steps, so its monotonic reading is its wall reading.
public struct ScaledWallClock: WallClock {
    /// The Unix time the clock showed when it was created.
    public let start: Double
    /// Simulated seconds per real second.
    public let scale: Double
    private let origin: ContinuousClock.Instant

    /// A clock showing `start` now and advancing `scale` times faster than real time.
    public init(start: Double, scale: Double) {
        precondition(scale > 0, "the time scale must be positive")
        self.start = start
        self.scale = scale
        self.origin = .now
    }

    public func now() -> Double { start + (ContinuousClock.now - origin).seconds * scale }

    public func sleep(until time: Double) async throws {
        let delay = (time - now()) / scale
        if delay > 0 { try await Task.sleep(for: .microseconds(Int64(delay * 1_000_000))) }
    }

    public func monotonicNow() -> Double { now() }

    public func sleep(untilMonotonic time: Double) async throws { try await sleep(until: time) }
}

/// A ``ScaledWallClock`` whose wall reading can be stepped, as NTP steps a host clock, while its
/// monotonic reading runs on untouched: for tests of clock steps.
public struct SteppableWallClock: WallClock {
    /// The clock without steps: its reading is ``monotonicNow()``.
    public let monotonic: ScaledWallClock
    private let offset = Locked(0.0)

    /// A clock showing `start` now and advancing `scale` times faster than real time.
    public init(start: Double, scale: Double) { monotonic = ScaledWallClock(start: start, scale: scale) }

    /// Steps the wall clock by `seconds` (negative: back); the monotonic clock is unchanged.
    public func step(by seconds: Double) { offset.withLock { $0 += seconds } }

    public func now() -> Double { monotonic.now() + offset.value }

    public func sleep(until time: Double) async throws {
        try await monotonic.sleep(until: time - offset.value)
    }

    public func monotonicNow() -> Double { monotonic.now() }

    public func sleep(untilMonotonic time: Double) async throws { try await monotonic.sleep(until: time) }
}

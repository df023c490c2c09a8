#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The bridge's source of time.
///
/// Two readings: the wall clock (``now()``, Unix seconds) stamps packets and archive intervals
/// and may step when NTP corrects it; the monotonic clock (``monotonicNow()``) schedules polls,
/// probes, stats and the watchdog and never steps. Both run at the same rate. Tests and the demo
/// inject a faster clock to run a simulated day in seconds, and a steppable one to step the wall
/// clock both ways.
public protocol WallClock: Sendable {
    /// The current wall-clock time in Unix seconds.
    func now() -> Double
    /// The current time in seconds on a timeline that never steps (its origin is arbitrary).
    func monotonicNow() -> Double
    /// Suspends until the wall clock reads `time` (returns at once if it already does).
    func sleep(until time: Double) async throws
    /// Suspends until the monotonic clock reads `time` (returns at once if it already does).
    func sleep(untilMonotonic time: Double) async throws
}

/// The host's real clock.
public struct SystemWallClock: WallClock {
    private static let origin = ContinuousClock.now

    /// The host clock.
    public init() {}

    public func now() -> Double { Date().timeIntervalSince1970 }

    public func monotonicNow() -> Double { (ContinuousClock.now - Self.origin).seconds }

    public func sleep(until time: Double) async throws {
        let delay = time - now()
        if delay > 0 { try await Task.sleep(for: .microseconds(Int64(delay * 1_000_000))) }
    }

    public func sleep(untilMonotonic time: Double) async throws {
        let delay = time - monotonicNow()
        if delay > 0 { try await Task.sleep(for: .microseconds(Int64(delay * 1_000_000))) }
    }
}

/// A clock that starts at a chosen Unix time and runs `scale` times faster than real time. Its
/// wall clock never steps, so its monotonic reading is the same as its wall reading.
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

    public func monotonicNow() -> Double { now() }

    public func sleep(until time: Double) async throws {
        let delay = (time - now()) / scale
        if delay > 0 { try await Task.sleep(for: .microseconds(Int64(delay * 1_000_000))) }
    }

    public func sleep(untilMonotonic time: Double) async throws { try await sleep(until: time) }
}

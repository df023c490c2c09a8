#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The bridge's source of wall-clock time: packet timestamps, poll schedules and archive
/// boundaries. Tests and the demo inject a faster clock to run a simulated day in seconds.
public protocol WallClock: Sendable {
    /// The current time in Unix seconds.
    func now() -> Double
    /// Suspends until the wall clock reads `time` (returns at once if it already does).
    func sleep(until time: Double) async throws
}

/// The host's real clock.
public struct SystemWallClock: WallClock {
    /// The host clock.
    public init() {}

    public func now() -> Double { Date().timeIntervalSince1970 }

    public func sleep(until time: Double) async throws {
        let delay = time - now()
        if delay > 0 { try await Task.sleep(for: .microseconds(Int64(delay * 1_000_000))) }
    }
}

/// A clock that starts at a chosen Unix time and runs `scale` times faster than real time.
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

    public func now() -> Double {
        let elapsed = ContinuousClock.now - origin
        let (seconds, attoseconds) = elapsed.components
        return start + (Double(seconds) + Double(attoseconds) / 1e18) * scale
    }

    public func sleep(until time: Double) async throws {
        let delay = (time - now()) / scale
        if delay > 0 { try await Task.sleep(for: .microseconds(Int64(delay * 1_000_000))) }
    }
}

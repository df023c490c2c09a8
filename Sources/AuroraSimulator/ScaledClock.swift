/// A simulation clock that runs with real time, optionally faster: simulated time starts at
/// `start` when the clock is created and advances `timeScale` simulated seconds per real second.
///
/// `ScaledClock(start: now, timeScale: 1)` is plain wall-clock time; a time scale of 600 plays a
/// whole PV day in under two and a half minutes.
public struct ScaledClock: SimulationClock {
    /// The simulated Unix time at the moment the clock was created.
    public let start: Double
    /// Simulated seconds per real second (greater than zero).
    public let timeScale: Double
    private let origin: ContinuousClock.Instant

    /// A clock showing `start` (Unix seconds) now and running `timeScale` times faster than real time.
    public init(start: Double, timeScale: Double = 1) {
        precondition(timeScale > 0, "the time scale must be greater than zero")
        self.start = start
        self.timeScale = timeScale
        origin = ContinuousClock.now
    }

    /// `start` plus the real time elapsed since creation, scaled.
    public var now: Double {
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return start + seconds * timeScale
    }
}

import Synchronization

/// A simulation clock that only moves when told to: tests freeze time, jump to dawn or midnight,
/// and compute exactly what the simulator will serve.
public final class ManualClock: SimulationClock {
    private let time: Mutex<Double>

    /// A clock standing at `unixTime` (Unix seconds).
    public init(_ unixTime: Double) { time = Mutex(unixTime) }

    /// The time the clock stands at.
    public var now: Double { time.withLock { $0 } }

    /// Moves the clock to `unixTime` (forwards or backwards).
    public func set(_ unixTime: Double) { time.withLock { $0 = unixTime } }

    /// Moves the clock forwards by `seconds` (backwards if negative).
    public func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}

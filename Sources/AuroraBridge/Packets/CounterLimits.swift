/// How far an energy counter may move between two readings: the bounds behind
/// ``CounterGuard``'s "small value" after a reset and its "rose too fast".
///
/// A counter may rise, and a counter reset at its period boundary may start again from, at most
/// ``slack`` plus what the inverter produces at ``peakPower`` over the time in question (since
/// the last good reading, or since the boundary). The default peak, 15 kW, is above every
/// single-phase and three-phase Aurora string inverter's rating, so no real reading is refused;
/// a glitch (0, or a wild value) is.
public struct CounterLimits: Sendable, Hashable {
    /// The most an inverter can produce, in W.
    public var peakPower: Double
    /// Wh allowed on top of `peakPower` × time: rounding, and the seconds a poll takes.
    public var slack: Int64

    /// Limits for an inverter of at most `peakPower` W (default 15 kW), with `slack` Wh.
    public init(peakPower: Double = 15_000, slack: Int64 = 100) {
        self.peakPower = peakPower
        self.slack = slack
    }

    /// The most Wh the inverter can produce in `seconds` (negative seconds count as none).
    public func allowance(seconds: Int64) -> Int64 {
        slack + Int64((peakPower * Double(max(0, seconds)) / 3600).rounded(.up))
    }
}

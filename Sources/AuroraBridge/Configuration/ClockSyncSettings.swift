/// How the bridge keeps one inverter's clock right: `[[inverter]] clock_sync` and
/// `clock_tolerance`.
public struct ClockSyncSettings: Sendable, Equatable {
    /// `clock_sync`: `off` (the default) or `daily`.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// The bridge never sets the clock by itself.
        case off
        /// Compared once a day while the inverter is awake, and set when it is off by more than
        /// the tolerance and the host clock is synchronised.
        case daily
    }

    /// Off or daily.
    public var mode: Mode
    /// `clock_tolerance`: the largest error left alone, in seconds (default 30).
    public var tolerance: Double

    /// Settings; off with a 30 s tolerance by default.
    public init(mode: Mode = .off, tolerance: Double = 30) {
        self.mode = mode
        self.tolerance = tolerance
    }
}

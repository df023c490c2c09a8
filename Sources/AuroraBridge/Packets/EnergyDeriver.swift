/// Derives `energy`, the Wh an inverter produced since its previous packet, from its guarded
/// day counter and the inverter's date.
///
/// - The first packet ever (no baseline) has no `energy`: nothing to compare with.
/// - On the same inverter day, the counter's rise is the energy; no rise is a valid 0.
/// - On a later inverter day (the counter reset at the inverter's midnight, whether or not it
///   went down: the bridge may have been stopped over midnight), what the counter shows now was
///   produced since the reset, so that value is the energy.
/// - A packet without a day counter (the read failed or was left out) has no `energy`, but the
///   baseline stays, so the next packet's `energy` covers the gap and nothing is lost.
///
/// The baseline is ``Codable`` and stored with the counter guard, so it survives restarts and
/// reloads: a day's `energy` sums to the day counter's rise even across a restart.
public struct EnergyDeriver: Sendable, Hashable, Codable {
    /// The last day-counter reading energy was derived from.
    public private(set) var baseline: CounterMark?

    /// A deriver with no baseline yet.
    public init() {}

    /// The energy since the baseline, and the reading becomes the new baseline; `nil` when there
    /// is no reading or no baseline yet.
    /// - Parameters:
    ///   - dayEnergy: The guarded day counter, in Wh (nil if left out).
    ///   - inverterTime: The inverter's clock, in Unix seconds, if it was read.
    ///   - calendar: The inverter's local calendar.
    public mutating func energy(dayEnergy: Int64?, inverterTime: Int64?, calendar: CounterCalendar) -> Int64? {
        guard let dayEnergy else { return nil }
        guard let baseline else {
            baseline = CounterMark(value: dayEnergy, time: inverterTime)
            return nil
        }
        self.baseline = baseline.advanced(to: dayEnergy, at: inverterTime)
        if let then = baseline.time, let now = inverterTime, now > then, !calendar.sameDay(then, now) {
            return dayEnergy
        }
        // The guard lets a counter go down only at a reset: then its value is the new day's.
        return dayEnergy >= baseline.value ? dayEnergy - baseline.value : dayEnergy
    }
}

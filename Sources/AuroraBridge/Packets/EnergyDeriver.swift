/// Derives `energy`, the Wh an inverter produced since its previous packet, from its day counter.
///
/// - The first packet after start has no `energy` (nothing to compare with).
/// - A rise of the counter is the energy produced; no rise is a valid 0.
/// - A fall is the counter's reset at the inverter's midnight (or on waking the next morning):
///   what it shows now was produced since the reset, so that value is the energy.
/// - A packet without a day counter (that read failed) has no `energy`, but the last good
///   reading stays the baseline, so the next packet's `energy` covers the gap and nothing is lost.
public struct EnergyDeriver: Sendable, Hashable {
    private var baseline: Int64?

    /// A deriver with no baseline yet.
    public init() {}

    /// The energy since the previous good day-counter reading, and that reading becomes the
    /// new baseline; `nil` when there is no reading or no baseline yet.
    public mutating func energy(dayEnergy: Int64?) -> Int64? {
        guard let dayEnergy else { return nil }
        defer { baseline = dayEnergy }
        guard let baseline else { return nil }
        return dayEnergy >= baseline ? dayEnergy - baseline : dayEnergy
    }
}

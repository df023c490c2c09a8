import AuroraProtocol

/// Everything one full poll read from one inverter: the 25 measures, the 6 energy counters and
/// the clock, in the inverter's own units.
public struct InverterSnapshot: Sendable, Hashable {
    /// A reading that failed after every try (bad replies or a refusal) and is left out.
    public struct Failure: Sendable, Hashable {
        /// The request that failed.
        public var request: Request
        /// What went wrong.
        public var error: LinkError
    }

    /// The inverter's bus address.
    public var address: UInt8
    /// Measure values as the inverter sent them (isolation resistance in MΩ).
    public var measures: [MeasureType: Float] = [:]
    /// Energy counters in Wh.
    public var energy: [EnergyPeriod: UInt32] = [:]
    /// The inverter clock converted to Unix seconds, if it was read.
    public var inverterTime: Int64?
    /// The global state carried by the last reply.
    public var globalState: GlobalState?
    /// Readings that failed and are missing from this snapshot.
    public var failures: [Failure] = []

    /// An empty snapshot for `address`.
    public init(address: UInt8) { self.address = address }

    /// The values under their loop field names (`gridPower`, `dayEnergy`, `inverterDateTime`, …)
    /// in poll order: measures, energy counters, clock.
    public var namedValues: [(name: String, value: FieldValue)] {
        var values: [(name: String, value: FieldValue)] = []
        for type in MeasureType.polled {
            if let value = measures[type], let name = type.fieldName { values.append((name, .float(value))) }
        }
        for period in EnergyPeriod.allCases {
            if let value = energy[period] { values.append((period.fieldName, .integer(Int64(value)))) }
        }
        if let inverterTime { values.append(("inverterDateTime", .integer(inverterTime))) }
        return values
    }
}

import AuroraLink
import AuroraProtocol

extension CounterGuard {
    /// The loop fields of one poll and the readings left out of them.
    public struct Fields: Sendable, Hashable {
        /// The fields in poll order (measures, counters, clock), then the derived `energy`.
        public var fields: [LoopField]
        /// What the inverter answered but the packet leaves out: non-finite measures and
        /// implausible counters.
        public var leftOut: [LeftOutReading]
    }

    /// Turns a snapshot into loop fields: a NaN or infinite measure is not a measurement and is
    /// left out, counters go through ``screen(_:inverterTime:calendar:limits:)``, and `energy`
    /// is derived from the guarded day counter.
    public mutating func fields(
        from snapshot: InverterSnapshot, calendar: CounterCalendar, limits: CounterLimits = CounterLimits()
    ) -> Fields {
        let screening = screen(
            snapshot.energy.mapValues(Int64.init), inverterTime: snapshot.inverterTime, calendar: calendar, limits: limits)
        var leftOut: [LeftOutReading] = []
        var fields: [LoopField] = []
        for (name, value) in snapshot.namedValues {
            if case .float(let float) = value, !float.isFinite {
                leftOut.append(LeftOutReading(field: name, value: "\(float)", reason: .notFinite))
            } else if let period = EnergyPeriod.allCases.first(where: { $0.fieldName == name }),
                let reason = screening.leftOut[period]
            {
                leftOut.append(LeftOutReading(field: name, value: "\(value)", reason: reason))
            } else {
                fields.append(LoopField(name: name, value: value))
            }
        }
        if let energy = screening.energy { fields.append(LoopField(name: "energy", value: .integer(energy))) }
        return Fields(fields: fields, leftOut: leftOut)
    }
}

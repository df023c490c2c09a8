import AuroraProtocol

/// Keeps an inverter's energy counters trustworthy for Home Assistant, and derives `energy`
/// from the counters it lets through.
///
/// Pure: it never reads a clock. Each reading is judged against the counter's last good value
/// (its ``CounterMark``) and the inverter's date (``InverterSnapshot/inverterTime``):
///
/// - A counter below one that cannot be smaller (`totalEnergy` holds every other counter, the
///   year holds the month and the day, the month holds the day) is left out: a 0 glitch of the
///   larger one, caught even on the first reading, before there is a last good value.
/// - A rise is good unless it is more than the inverter could have produced since the last good
///   reading (``CounterLimits``; checked only when both readings' dates are known). The next
///   reading confirms such a rise if it is consistent with it (not lower, and no faster rise
///   since): a wrong last good value never locks a counter out for more than one reading.
/// - `totalEnergy` never goes down: its mark is a high-water mark.
/// - The day, week, month and year counters may go down only when the reading's date is past
///   the start of a period (local midnight, Sunday or Monday, the 1st, 1 January) that began
///   after the last good reading, and only to what could be produced since that start. With the
///   reading's date unknown, a counter that went down is left out.
/// - `partialEnergy` may reset at any time, but only to what could be produced since the last
///   good reading; such readings are left out until they have gone on for
///   ``partialResetConfirmation`` of the inverter's time (never lower again, and no faster
///   rise), then the reset is accepted. A 0 is the typical glitch, and glitches can come
///   several in a row.
///
/// A reading that fails is left out of that packet, like a failed read, and its mark stays, so
/// the next good reading is judged against the last good one. The whole guard is ``Codable``:
/// the bridge stores it with the archive, keyed by the inverter's serial number.
public struct CounterGuard: Sendable, Hashable, Codable {
    /// The last good value of each counter, by loop field name (`dayEnergy`, …).
    public private(set) var marks: [String: CounterMark] = [:]
    /// Readings left out that the next reading may confirm (a rise too fast, a `partialEnergy`
    /// reset), by loop field name.
    public private(set) var pending: [String: CounterMark] = [:]
    /// The `energy` deriver fed with the guarded day counter.
    public private(set) var energy = EnergyDeriver()

    /// How long low `partialEnergy` readings must go on before they count as a reset (seconds of
    /// the inverter's clock).
    public static let partialResetConfirmation: Int64 = 600

    /// A guard that has seen no reading yet.
    public init() {}

    /// What one set of counter readings came to.
    public struct Screening: Sendable, Hashable {
        /// The counters that passed, in Wh.
        public var accepted: [EnergyPeriod: Int64] = [:]
        /// The counters left out, and why.
        public var leftOut: [EnergyPeriod: LeftOutReason] = [:]
        /// Wh produced since the previous packet, from the guarded day counter; nil when unknown.
        public var energy: Int64?
    }

    /// Judges one poll's counters, remembers the good ones and derives `energy`.
    /// - Parameters:
    ///   - counters: The counters read, in Wh (a failed read is simply missing).
    ///   - inverterTime: The inverter's clock, in Unix seconds, if it was read.
    ///   - calendar: The inverter's local calendar.
    ///   - limits: How far a counter may move.
    public mutating func screen(
        _ counters: [EnergyPeriod: Int64], inverterTime: Int64?, calendar: CounterCalendar,
        limits: CounterLimits = CounterLimits()
    ) -> Screening {
        var result = Screening()
        for period in Self.belowAnotherCounter(counters, slack: limits.slack) {
            result.leftOut[period] = .belowAnotherCounter
        }
        for (period, value) in counters where result.leftOut[period] == nil {
            let mark = marks[period.fieldName]
            if let reason = judge(period, value, at: inverterTime, against: mark, calendar: calendar, limits: limits) {
                result.leftOut[period] = reason
            } else {
                result.accepted[period] = value
                pending[period.fieldName] = nil
                marks[period.fieldName] = mark?.advanced(to: value, at: inverterTime)
                    ?? CounterMark(value: value, time: inverterTime)
            }
        }
        result.energy = energy.energy(dayEnergy: result.accepted[.day], inverterTime: inverterTime, calendar: calendar)
        return result
    }

    /// Takes over what a guard stored for the same serial number, read once the inverter's
    /// identity is known: its marks where this one has none, its `energy` baseline if this one
    /// has none, and the higher `totalEnergy` mark.
    public mutating func adopt(_ stored: CounterGuard) {
        let total = EnergyPeriod.total.fieldName
        marks.merge(stored.marks) { current, _ in current }
        if let storedTotal = stored.marks[total], let current = marks[total], storedTotal.value > current.value {
            marks[total] = storedTotal
        }
        if energy.baseline == nil { energy = stored.energy }
        pending.merge(stored.pending) { current, _ in current }
    }

    /// Which counter must hold which: (smaller, larger).
    private static let nesting: [(EnergyPeriod, EnergyPeriod)] = [
        (.day, .month), (.day, .year), (.month, .year),
        (.day, .total), (.week, .total), (.month, .total), (.year, .total), (.partial, .total),
    ]

    /// The counters read below one they hold (by more than `slack`: the counters of one poll
    /// are read a moment apart).
    private static func belowAnotherCounter(_ counters: [EnergyPeriod: Int64], slack: Int64) -> Set<EnergyPeriod> {
        var below: Set<EnergyPeriod> = []
        for (smaller, larger) in nesting {
            if let low = counters[smaller], let high = counters[larger], high + slack < low { below.insert(larger) }
        }
        return below
    }

    /// Whether the reading confirms the left-out reading waiting for `field`: not lower, and
    /// risen no faster than the inverter can produce since.
    private func confirms(_ field: String, _ value: Int64, at time: Int64?, limits: CounterLimits) -> Bool {
        guard let waiting = pending[field], value >= waiting.value else { return false }
        guard let time, let then = waiting.time else { return true }
        return value - waiting.value <= limits.allowance(seconds: time - then)
    }

    /// Why `value` is left out, or nil if it is good.
    private mutating func judge(
        _ period: EnergyPeriod, _ value: Int64, at time: Int64?, against mark: CounterMark?,
        calendar: CounterCalendar, limits: CounterLimits
    ) -> LeftOutReason? {
        guard let mark else { return nil }
        let field = period.fieldName
        let sinceMark = time.flatMap { now in mark.time.map { now - $0 } }
        if value >= mark.value {
            guard let sinceMark, value - mark.value > limits.allowance(seconds: sinceMark) else { return nil }
            if confirms(field, value, at: time, limits: limits) { return nil }
            pending[field] = CounterMark(value: value, time: time)
            return .roseTooFast
        }
        switch period {
        case .total:
            return .wentDown
        case .partial:
            guard value <= limits.allowance(seconds: sinceMark ?? 0) else { return .wentDown }
            // A reset holds for good; glitches come and go. So it is accepted only once the low
            // readings have gone on, rising no faster than the inverter can produce, for
            // `partialResetConfirmation` of the inverter's time: a run of glitches in a row is
            // left out, never published.
            if let waiting = pending[field], value >= waiting.value, let time, let then = waiting.time,
                value - waiting.value <= limits.allowance(seconds: time - then)
            {
                return time - then >= Self.partialResetConfirmation ? nil : .resetUnconfirmed
            }
            pending[field] = CounterMark(value: value, time: time)
            return .resetUnconfirmed
        case .day, .week, .month, .year:
            guard let time, let start = calendar.periodStart(period, containing: time) else { return .wentDownWithoutDate }
            if let then = mark.time, then >= start { return .wentDown }
            return value <= limits.allowance(seconds: time - start) ? nil : .resetTooLarge
        }
    }
}

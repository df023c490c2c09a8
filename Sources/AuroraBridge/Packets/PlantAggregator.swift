import AuroraProtocol

/// The plant: every inverter of the bridge summed into one more inverter, with its own loop
/// packets, availability and counters. Pure: fed the poller's events, it adds the plant's.
///
/// A *round* holds the latest packet of each inverter since the plant's last packet. It closes,
/// and the plant's packet goes out, once every inverter is known to be online or not (at start,
/// until each was polled or probed once) and every online one has a packet in it; an inverter
/// that drops out no longer holds the round up. An inverter that reports again before the round
/// closes (a faster one) replaces its packet, and its `energy` adds up. So a plant packet never
/// sums half a round, nor an older packet of one inverter with a newer one of another.
///
/// The plant's packet holds:
/// - `gridPower` and `dcPower` (each inverter's `string1Power` + `string2Power`): the sums over
///   the inverters in the round, with the field when at least one had it;
/// - `dayEnergy`, `weekEnergy`, `monthEnergy`, `yearEnergy`, `totalEnergy`: the sum of the last
///   guarded value of every inverter, present only once every configured inverter has reported
///   that counter since start. The sums go through the plant's own ``CounterGuard`` (limits
///   scaled by the number of inverters), dated by the oldest inverter clock behind them: they
///   never go down, and a day sum resets only once every inverter's reading is of the new day;
/// - `energy`: the sum of the inverters' `energy` over every packet of the round;
/// - `inverters`: how many inverters are in the round.
///
/// Its `dateTime` is the latest poll start in the round, always later than the plant's previous
/// packet's (a round that would repeat it stays open until a later packet comes). Its
/// availability is `online` while any inverter is online, else `unreachable` if any is, else
/// `asleep`.
public struct PlantAggregator: Sendable {
    /// The plant's name, used like an inverter's in topics.
    public let name: String
    /// The inverters summed, by name.
    public let inverters: [String]
    /// The inverters' local calendar.
    public var calendar: CounterCalendar
    /// The limits of one inverter; the plant's are these times the number of inverters.
    public var limits: CounterLimits

    /// The counters the plant sums.
    public static let counters: [EnergyPeriod] = [.day, .week, .month, .year, .total]

    /// The last guarded counters of each inverter, and the inverter clock they were read at.
    private var lastCounters: [String: (values: [EnergyPeriod: Int64], time: Int64)] = [:]
    private var counterGuard = CounterGuard()
    /// The latest packet of each inverter in the round.
    private var round: [String: LoopPacket] = [:]
    /// Each inverter's `energy` over all its packets in the round.
    private var roundEnergy: [String: Int64] = [:]
    /// The `dateTime` of the plant's last packet.
    private var lastDateTime: Int64?
    private var availabilities: [String: Availability] = [:]
    private var availability: Availability?

    /// A plant of `inverters` named `name`.
    public init(name: String, inverters: [String], calendar: CounterCalendar = CounterCalendar(), limits: CounterLimits = CounterLimits()) {
        self.name = name
        self.inverters = inverters
        self.calendar = calendar
        self.limits = limits
    }

    /// The events to pass on for `event` of one inverter, in order: `event` itself, then the
    /// plant's packet of a round it completes, then the plant's availability when that changes.
    public mutating func handle(_ event: PollerEvent) -> [PollerEvent] {
        switch event {
        case .packet(let packet) where inverters.contains(packet.inverter):
            note(packet)
            if let energy = packet["energy"]?.integerValue { roundEnergy[packet.inverter, default: 0] += energy }
            round[packet.inverter] = packet
            return [event] + (closeRound().map { [.packet($0)] } ?? [])
        case .availability(let inverter, let value) where inverters.contains(inverter):
            availabilities[inverter] = value
            var events = [event]
            if value != .online, let packet = closeRound() { events.append(.packet(packet)) }
            let plant: Availability =
                if availabilities.values.contains(.online) { .online }
                else if availabilities.values.contains(.unreachable) { .unreachable }
                else { .asleep }
            if plant != availability {
                availability = plant
                events.append(.availability(inverter: name, plant))
            }
            return events
        default:
            return [event]
        }
    }

    /// Whether every inverter's availability is known and every online one is in the round.
    private var roundIsComplete: Bool {
        !round.isEmpty && inverters.allSatisfy { inverter in
            guard let value = availabilities[inverter] else { return false }
            return value != .online || round[inverter] != nil
        }
    }

    /// Remembers the packet's counters as its inverter's last guarded values, dated by its
    /// clock (the poll's start when the clock was not read).
    private mutating func note(_ packet: LoopPacket) {
        var values = lastCounters[packet.inverter]?.values ?? [:]
        let read = Self.counters.compactMap { period in packet[period.fieldName]?.integerValue.map { (period, $0) } }
        guard !read.isEmpty else { return }
        for (period, value) in read { values[period] = value }
        lastCounters[packet.inverter] = (values, packet["inverterDateTime"]?.integerValue ?? packet.dateTime)
    }

    /// The plant's packet of the round, if it is complete and later than the last one; the
    /// round starts over.
    private mutating func closeRound() -> LoopPacket? {
        guard roundIsComplete, let dateTime = round.values.map(\.dateTime).max(), dateTime > lastDateTime ?? .min else { return nil }
        let packets = inverters.compactMap { round[$0] }
        var fields: [LoopField] = []
        if let power = Self.sum(packets.compactMap { $0["gridPower"]?.double }) {
            fields.append(LoopField(name: "gridPower", value: .float(Float(power))))
        }
        let dcPowers = packets.compactMap { packet in Self.sum(["string1Power", "string2Power"].compactMap { packet[$0]?.double }) }
        if let power = Self.sum(dcPowers) { fields.append(LoopField(name: "dcPower", value: .float(Float(power)))) }
        fields += screenedCounters()
        if !roundEnergy.isEmpty { fields.append(LoopField(name: "energy", value: .integer(roundEnergy.values.reduce(0, +)))) }
        fields.append(LoopField(name: "inverters", value: .integer(Int64(packets.count))))
        round = [:]
        roundEnergy = [:]
        lastDateTime = dateTime
        return LoopPacket(inverter: name, dateTime: dateTime, fields: fields)
    }

    /// The summed counters that every inverter has reported and the plant's guard lets through.
    private mutating func screenedCounters() -> [LoopField] {
        let all = inverters.compactMap { lastCounters[$0] }
        guard all.count == inverters.count, let time = all.map(\.time).min() else { return [] }
        var sums: [EnergyPeriod: Int64] = [:]
        for period in Self.counters {
            let values = all.compactMap { $0.values[period] }
            if values.count == all.count { sums[period] = values.reduce(0, +) }
        }
        guard !sums.isEmpty else { return [] }
        let count = Double(inverters.count)
        let plantLimits = CounterLimits(peakPower: limits.peakPower * count, slack: limits.slack * Int64(inverters.count))
        let screening = counterGuard.screen(sums, inverterTime: time, calendar: calendar, limits: plantLimits)
        return Self.counters.compactMap { period in
            screening.accepted[period].map { LoopField(name: period.fieldName, value: .integer($0)) }
        }
    }

    private static func sum(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +)
    }
}

extension FieldValue {
    /// The value of an integer field (a counter, a time), nil for a measure.
    fileprivate var integerValue: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AuroraProtocol

/// One simulated Aurora inverter: a pure function from simulated time (and the inverter clock's
/// offset) to the reply it gives to any request.
///
/// Nothing here is random or remembered: the same time gives the same reply, so a test can
/// compute what the simulator will serve at a frozen time. Energy counters are closed-form
/// integrals of ``SolarDay/power(at:)``; the day, week (from Monday), month and year counters roll
/// over at local midnight; total and partial count from ``totalEnergyBase`` and
/// ``partialEnergyBase`` at ``energyOrigin``.
///
/// Scheduled ``alarms`` stop production while they are in force (no power, counters standing
/// still) and show in the state reply and in every reply's global-state byte; command 86 reports
/// the last four raised.
public struct InverterModel: Sendable, Hashable {
    /// The bus address it answers to (1–63).
    public var address: UInt8
    /// The zone of the inverter's local wall clock: days, counters and command 70 follow it.
    public var timeZone: TimeZone
    /// The PV day: sunrise, sunset, nominal power, wake-up and wind-down durations.
    public var day: SolarDay
    /// Part number, serial number, version, firmware, manufacturing date and last alarms.
    public var identity: ModelIdentity
    /// Answer at night too (global state 1 with zero power) instead of falling silent.
    public var alwaysAwake: Bool
    /// Measure types this model refuses with transmission state 51 (command not implemented).
    public var unsupportedMeasures: Set<MeasureType>
    /// The lifetime energy counter at ``energyOrigin``, in Wh.
    public var totalEnergyBase: Double
    /// The partial energy counter at ``energyOrigin``, in Wh.
    public var partialEnergyBase: Double
    /// The Unix time at which the total and partial counters stood at their base values.
    public var energyOrigin: Double
    /// The lifetime peak power recorded before ``energyOrigin``, in W.
    public var lifetimePeakBase: Double
    /// Alarms the inverter raises and clears at set times, in any order.
    ///
    /// While one is in force the inverter feeds in nothing: grid power and current, string powers
    /// and currents and the leakage currents read 0, the string voltages show the open-circuit
    /// voltage, the energy counters stand still and today's peak ignores that time. The state
    /// reply (command 50) is ``ScheduledAlarm/status(forAlarm:)`` of the most recently raised
    /// alarm in force (of alarms raised at the same instant, the later in this list), and every
    /// other reply carries its global state. When the last one clears, the day's phase states
    /// return. An alarm in force at night shows only if the inverter answers (``alwaysAwake``).
    /// Command 86: see ``lastAlarms(at:readAt:)``.
    public var alarms: [ScheduledAlarm]
    /// Whether reading command 86 empties the last-alarms FIFO, as some models do (default
    /// false). ``Simulator`` then remembers each inverter's last read of command 86, even one
    /// whose reply a fault dropped; see ``lastAlarms(at:readAt:)``.
    public var clearsLastAlarmsOnRead: Bool

    /// A 3.6 kW inverter at `address` with a 06:00–20:00 day in `timeZone`.
    ///
    /// Counters start at 18.5 MWh total and 2.45 MWh partial at `energyOrigin` (default
    /// 2026-01-01 00:00 UTC); the lifetime peak starts at 3 612 W. No alarms unless given.
    public init(
        address: UInt8, timeZone: TimeZone, day: SolarDay = SolarDay(), alwaysAwake: Bool = false,
        unsupportedMeasures: Set<MeasureType> = [], totalEnergyBase: Double = 18_500_000,
        partialEnergyBase: Double = 2_450_000, energyOrigin: Double = 1_767_225_600,
        lifetimePeakBase: Double = 3612, alarms: [ScheduledAlarm] = []
    ) {
        self.address = address
        self.timeZone = timeZone
        self.day = day
        identity = ModelIdentity(address: address)
        self.alwaysAwake = alwaysAwake
        self.unsupportedMeasures = unsupportedMeasures
        self.totalEnergyBase = totalEnergyBase
        self.partialEnergyBase = partialEnergyBase
        self.energyOrigin = energyOrigin
        self.lifetimePeakBase = lifetimePeakBase
        self.alarms = alarms
        clearsLastAlarmsOnRead = false
    }

    /// What the inverter is doing at `unix`.
    public func phase(at unix: Double) -> InverterPhase {
        day.phase(at: local(unix).secondOfDay)
    }

    /// Whether the inverter answers requests at `unix` (always, when ``alwaysAwake``).
    public func isAnswering(at unix: Double) -> Bool {
        alwaysAwake || phase(at: unix) != .night
    }

    /// The measure `type` at `unix` as a full-precision number (the wire carries it as a
    /// `Float`), or nil if the model does not simulate that type.
    public func measure(_ type: MeasureType, at unix: Double) -> Double? {
        InverterReadings(model: self, unix: unix, local: local(unix)).value(of: type)
    }

    /// The energy counter for `period` at `unix`, in whole Wh, as command 78 reports it: the
    /// day's curve integrated over the period so far, less the time ``alarms`` were in force.
    public func energy(_ period: EnergyPeriod, at unix: Double) -> UInt32 {
        let now = local(unix)
        let today = day.energy(until: now.secondOfDay)
        let date = now.date
        let wattHours: Double
        let start: LocalTime
        switch period {
        case .day:
            wattHours = today
            start = LocalTime(midnightOf: now.day)
        case .week:
            let days = CivilDate.daysSinceMonday(day: now.day)
            wattHours = Double(days) * day.dailyEnergy + today
            start = LocalTime(midnightOf: now.day - days)
        case .month:
            wattHours = Double(date.dayOfMonth - 1) * day.dailyEnergy + today
            start = LocalTime(midnightOf: now.day - (date.dayOfMonth - 1))
        case .year:
            let newYear = CivilDate(year: date.year, month: 1, dayOfMonth: 1).day
            wattHours = Double(now.day - newYear) * day.dailyEnergy + today
            start = LocalTime(midnightOf: newYear)
        case .total:
            wattHours = totalEnergyBase + energy(from: local(energyOrigin), to: now)
            start = local(energyOrigin)
        case .partial:
            wattHours = partialEnergyBase + energy(from: local(energyOrigin), to: now)
            start = local(energyOrigin)
        }
        let lost = alarms.isEmpty ? 0 : energyLost(since: start, until: unix)
        return UInt32(clamping: Int64(max(0, wattHours - lost).rounded(.down)))
    }

    /// The inverter clock (command 70) at `unix`: seconds since 2000-01-01 local, shifted by
    /// `clockOffset` seconds (what command 71 sets).
    public func inverterSeconds(at unix: Double, clockOffset: Double = 0) -> UInt32 {
        InverterClock(timeZone: timeZone).inverterSeconds(fromUnix: Int64((unix + clockOffset).rounded(.down)))
    }

    /// The clock offset that makes the inverter clock read `inverterSeconds` at `unix`.
    public func clockOffset(settingTo inverterSeconds: UInt32, at unix: Double) -> Double {
        Double(InverterClock(timeZone: timeZone).unixTime(fromInverter: inverterSeconds)) - unix
    }

    /// The reply to `request` at `unix`, or nil when the inverter stays silent (another
    /// address, or asleep at night).
    ///
    /// Measures in ``unsupportedMeasures`` and unknown commands get transmission state 51; measure
    /// types and energy periods the model does not know get 52. A set-time request (71) is
    /// answered with the new time echoed; applying it is up to the caller (see ``Simulator``).
    ///
    /// `lastAlarmsReadAt` is when command 86 was last read, for ``clearsLastAlarmsOnRead``.
    public func reply(to request: Request, at unix: Double, clockOffset: Double = 0, lastAlarmsReadAt: Double? = nil) -> Response? {
        guard request.address == address, isAnswering(at: unix) else { return nil }
        let status = status(at: unix)
        let globalState = status.global.code
        let parameter = request.parameters[0]
        switch request.command {
        case .state:
            return status.reply
        case .partNumber:
            return Response(payload: Array(identity.partNumber.utf8))
        case .serialNumber:
            return Response(payload: Array(identity.serialNumber.utf8))
        case .version:
            return Response(globalState: globalState, data: Array(identity.version.utf8))
        case .firmware:
            return Response(globalState: globalState, data: Array(identity.firmware.utf8))
        case .manufacturingDate:
            return Response(globalState: globalState, data: Array(identity.manufactureDate.utf8))
        case .lastAlarms:
            return Response(globalState: globalState, data: lastAlarms(at: unix, readAt: lastAlarmsReadAt))
        case .readTime:
            return Response(globalState: globalState, data: bytes(inverterSeconds(at: unix, clockOffset: clockOffset)))
        case .setTime:
            return Response(globalState: globalState, data: Array(request.parameters[0..<4]))
        case .measure:
            let type = MeasureType(rawValue: parameter)
            if unsupportedMeasures.contains(type) { return Self.refusal(51, globalState: globalState) }
            guard let value = measure(type, at: unix) else { return Self.refusal(52, globalState: globalState) }
            return Response(globalState: globalState, data: bytes(Float(value).bitPattern))
        case .cumulatedEnergy:
            guard let period = EnergyPeriod(rawValue: parameter) else {
                return Self.refusal(52, globalState: globalState)
            }
            return Response(globalState: globalState, data: bytes(energy(period, at: unix)))
        }
    }

    /// The reply to a request whose CRC is valid but whose command code is unknown: transmission
    /// state 51 (command not implemented), or nil when the inverter stays silent.
    public func replyToUnknownCommand(address: UInt8, at unix: Double) -> Response? {
        guard address == self.address, isAnswering(at: unix) else { return nil }
        return Self.refusal(51, globalState: status(at: unix).global.code)
    }

    /// Everything the inverter would report at `unix`, or nil when it is asleep;
    /// `lastAlarmsReadAt` as for ``reply(to:at:clockOffset:lastAlarmsReadAt:)``.
    public func snapshot(at unix: Double, clockOffset: Double = 0, lastAlarmsReadAt: Double? = nil) -> ModelSnapshot? {
        guard isAnswering(at: unix) else { return nil }
        let readings = InverterReadings(model: self, unix: unix, local: local(unix))
        var measures: [MeasureType: Float] = [:]
        for (type, value) in readings.values where !unsupportedMeasures.contains(type) {
            measures[type] = Float(value)
        }
        return ModelSnapshot(
            address: address, time: unix, phase: phase(at: unix), status: status(at: unix), measures: measures,
            energy: Dictionary(uniqueKeysWithValues: EnergyPeriod.allCases.map { ($0, energy($0, at: unix)) }),
            inverterSeconds: inverterSeconds(at: unix, clockOffset: clockOffset),
            lastAlarms: lastAlarms(at: unix, readAt: lastAlarmsReadAt)
        )
    }

    /// Checks the address, the day, the identity and the alarms.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` naming the setting to fix.
    public func validate() throws(SimulatorError) {
        guard (1...63).contains(address) else {
            throw .invalidSetting("the bus address must be 1–63, not \(address)")
        }
        try day.validate()
        try identity.validate()
        for alarm in alarms { try alarm.validate() }
        guard totalEnergyBase >= 0, partialEnergyBase >= 0, lifetimePeakBase >= 0 else {
            throw .invalidSetting("energy and peak base values must not be negative")
        }
    }

    /// The lifetime peak: the larger of the recorded base, today's peak so far, and the
    /// nominal power once a solar noon has passed since ``energyOrigin``.
    func lifetimePeakPower(dayPeak: Double, local now: LocalTime) -> Double {
        let origin = local(energyOrigin)
        let firstNoonDay = origin.secondOfDay <= day.solarNoon ? origin.day : origin.day + 1
        let noonPassed = now.day > firstNoonDay || (now.day == firstNoonDay && now.secondOfDay >= day.solarNoon)
        return max(lifetimePeakBase, dayPeak, noonPassed ? day.nominalPower : 0)
    }

    /// The energy the day's curve feeds in from `start` to `end` (local times), in Wh.
    func energy(from start: LocalTime, to end: LocalTime) -> Double {
        Double(end.day - start.day) * day.dailyEnergy
            + day.energy(until: end.secondOfDay) - day.energy(until: start.secondOfDay)
    }

    func local(_ unix: Double) -> LocalTime { LocalTime(unix: unix, timeZone: timeZone) }

    private static func refusal(_ transmissionState: UInt8, globalState: UInt8) -> Response {
        Response(transmissionState: transmissionState, globalState: globalState, data: [0, 0, 0, 0])
    }

    private func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

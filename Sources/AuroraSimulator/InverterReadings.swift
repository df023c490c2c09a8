#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AuroraProtocol

/// Every measure of command 59 a simulated inverter reports at one instant, as plain numbers in
/// the inverter's units (V, A, W, Hz, °C, MΩ).
///
/// The values are deterministic functions of the simulated time and the bus address, and they
/// agree with each other: grid power = (string 1 + string 2 power) × ``efficiency``, every current
/// is its power divided by its voltage.
struct InverterReadings: Sendable {
    /// DC to AC conversion efficiency while producing.
    static let efficiency = 0.965
    /// The share of the DC power that string 1 delivers.
    static let string1Share = 0.55

    private(set) var values: [MeasureType: Double] = [:]

    /// The readings of `model` at `unix`, seen on the local clock as `local`.
    init(model: InverterModel, unix: Double, local: LocalTime) {
        let day = model.day
        let phase = day.phase(at: local.secondOfDay)
        let seed = Double(model.address)
        // An alarm in force stops production; the panels still give their open-circuit voltage.
        let alarmed = model.activeAlarm(at: unix) != nil
        let producing = phase.isProducing && !alarmed
        let gridPower = alarmed ? 0 : day.power(at: local.secondOfDay)
        let load = gridPower / day.nominalPower

        // Grid side: a slow daily swing of the average plus a fast ripple, both phase-shifted per address.
        let averageVoltage = 230 + 3 * sin(2 * Double.pi * local.secondOfDay / LocalTime.secondsPerDay + seed)
        let gridVoltage = averageVoltage + 1.2 * sin(2 * Double.pi * unix / 97 + seed)
        let frequency = 50 + 0.03 * sin(2 * Double.pi * unix / 263 + seed)
        set(.gridVoltage, gridVoltage)
        set(.gridCurrent, gridPower / gridVoltage)
        set(.gridPower, gridPower)
        set(.gridFrequency, frequency)
        set(.gridDCVoltage, gridVoltage - 0.4)
        set(.gridDCFrequency, frequency)
        set(.gridAverageVoltage, averageVoltage)
        set(.gridNeutralVoltage, phase.hasLight ? 1.1 + 0.6 * load : 0)
        set(.gridNeutralPhaseVoltage, gridVoltage)

        // DC side: open-circuit voltage while awake but idle, maximum-power-point voltage when producing.
        let dcPower = gridPower / Self.efficiency
        let string1Voltage = producing ? 345 - 30 * load : (phase.hasLight ? 385 : 0)
        let string2Voltage = producing ? 333 - 28 * load : (phase.hasLight ? 372 : 0)
        let string1Power = dcPower * Self.string1Share
        let string2Power = dcPower - string1Power
        set(.string1Voltage, string1Voltage)
        set(.string1Power, string1Power)
        set(.string1Current, string1Voltage > 0 ? string1Power / string1Voltage : 0)
        set(.string2Voltage, string2Voltage)
        set(.string2Power, string2Power)
        set(.string2Current, string2Voltage > 0 ? string2Power / string2Voltage : 0)

        let bulkVoltage = producing ? 390 + 6 * load : max(string1Voltage, string2Voltage)
        set(.bulkVoltage, bulkVoltage)
        set(.bulkDCVoltage, producing ? bulkVoltage + 1.5 : bulkVoltage)
        set(.bulkMidVoltage, bulkVoltage / 2)
        set(.leakDCCurrent, producing ? 0.003 + 0.004 * load : 0)
        set(.leakCurrent, producing ? 0.008 + 0.012 * load : 0)

        // Ambient temperature peaks at 15:00 local; the electronics warm up with the load.
        let ambient = 18 + 7 * sin(2 * Double.pi * (local.secondOfDay - 9 * 3600) / LocalTime.secondsPerDay)
        let selfHeating = phase.hasLight ? 3.0 : 0
        set(.inverterTemperature, ambient + selfHeating + 28 * load)
        set(.boosterTemperature, ambient + selfHeating + 22 * load)

        // Measured once each morning: varies from day to day and from inverter to inverter.
        set(.isolationResistance, 12 + 0.25 * Double(model.address % 8) + 1.5 * sin(Double(local.day)))

        let dayPeak = model.dayPeakPower(until: unix, local: local)
        set(.dayPeakPower, dayPeak)
        set(.peakPower, model.lifetimePeakPower(dayPeak: dayPeak, local: local))
    }

    /// The value of `type`, if the model simulates it.
    func value(of type: MeasureType) -> Double? { values[type] }

    private mutating func set(_ type: MeasureType, _ value: Double) { values[type] = value }
}

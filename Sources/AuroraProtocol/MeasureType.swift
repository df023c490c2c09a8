/// A DSP measure type (byte 2 of command 59), with its unit and loop field name.
public struct MeasureType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public var description: String {
        if let entry = Self.catalogue[rawValue] { return "\(entry.name) (\(rawValue))" }
        return "measure type \(rawValue)"
    }

    /// What the inverter reports, e.g. "Grid voltage".
    public var name: String { Self.catalogue[rawValue]?.name ?? "measure \(rawValue)" }

    /// The unit the inverter reports it in: V, A, W, Hz, °C or MΩ.
    public var unit: String { Self.catalogue[rawValue]?.unit ?? "" }

    /// The loop field name (WeeWX Aurora names, e.g. `gridPower`), if it is one aurora-bridge polls.
    public var fieldName: String? { Self.catalogue[rawValue]?.field }

    public static let gridVoltage = MeasureType(rawValue: 1)
    public static let gridCurrent = MeasureType(rawValue: 2)
    public static let gridPower = MeasureType(rawValue: 3)
    public static let gridFrequency = MeasureType(rawValue: 4)
    public static let bulkVoltage = MeasureType(rawValue: 5)
    public static let leakDCCurrent = MeasureType(rawValue: 6)
    public static let leakCurrent = MeasureType(rawValue: 7)
    public static let string1Power = MeasureType(rawValue: 8)
    public static let string2Power = MeasureType(rawValue: 9)
    public static let inverterTemperature = MeasureType(rawValue: 21)
    public static let boosterTemperature = MeasureType(rawValue: 22)
    public static let string1Voltage = MeasureType(rawValue: 23)
    public static let string1Current = MeasureType(rawValue: 25)
    public static let string2Voltage = MeasureType(rawValue: 26)
    public static let string2Current = MeasureType(rawValue: 27)
    public static let gridDCVoltage = MeasureType(rawValue: 28)
    public static let gridDCFrequency = MeasureType(rawValue: 29)
    public static let isolationResistance = MeasureType(rawValue: 30)
    public static let bulkDCVoltage = MeasureType(rawValue: 31)
    public static let gridAverageVoltage = MeasureType(rawValue: 32)
    public static let bulkMidVoltage = MeasureType(rawValue: 33)
    public static let peakPower = MeasureType(rawValue: 34)
    public static let dayPeakPower = MeasureType(rawValue: 35)
    public static let gridNeutralVoltage = MeasureType(rawValue: 36)
    public static let gridNeutralPhaseVoltage = MeasureType(rawValue: 38)

    /// The 25 measures of one full poll, in the order they are asked for.
    public static let polled: [MeasureType] = [
        .gridVoltage, .gridCurrent, .gridPower, .gridFrequency, .bulkVoltage, .leakDCCurrent,
        .leakCurrent, .string1Power, .string2Power, .inverterTemperature, .boosterTemperature,
        .string1Voltage, .string1Current, .string2Voltage, .string2Current, .gridDCVoltage,
        .gridDCFrequency, .isolationResistance, .bulkDCVoltage, .gridAverageVoltage,
        .bulkMidVoltage, .peakPower, .dayPeakPower, .gridNeutralVoltage, .gridNeutralPhaseVoltage,
    ]

    private struct Entry {
        let name: String
        let unit: String
        let field: String?
    }

    private static let catalogue: [UInt8: Entry] = [
        1: Entry(name: "Grid voltage", unit: "V", field: "gridVoltage"),
        2: Entry(name: "Grid current", unit: "A", field: "gridCurrent"),
        3: Entry(name: "Grid power", unit: "W", field: "gridPower"),
        4: Entry(name: "Grid frequency", unit: "Hz", field: "gridFrequency"),
        5: Entry(name: "Bulk voltage", unit: "V", field: "bulkVoltage"),
        6: Entry(name: "Leakage current DC/DC", unit: "A", field: "leakdcCurrent"),
        7: Entry(name: "Leakage current inverter", unit: "A", field: "leakCurrent"),
        8: Entry(name: "String 1 power", unit: "W", field: "string1Power"),
        9: Entry(name: "String 2 power", unit: "W", field: "string2Power"),
        21: Entry(name: "Inverter temperature", unit: "°C", field: "inverterTemp"),
        22: Entry(name: "Booster temperature", unit: "°C", field: "boosterTemp"),
        23: Entry(name: "String 1 voltage", unit: "V", field: "string1Voltage"),
        25: Entry(name: "String 1 current", unit: "A", field: "string1Current"),
        26: Entry(name: "String 2 voltage", unit: "V", field: "string2Voltage"),
        27: Entry(name: "String 2 current", unit: "A", field: "string2Current"),
        28: Entry(name: "Grid voltage (DC/DC)", unit: "V", field: "griddcVoltage"),
        29: Entry(name: "Grid frequency (DC/DC)", unit: "Hz", field: "griddcFrequency"),
        30: Entry(name: "Isolation resistance", unit: "MΩ", field: "isoResistance"),
        31: Entry(name: "Bulk voltage (DC/DC)", unit: "V", field: "bulkdcVoltage"),
        32: Entry(name: "Average grid voltage", unit: "V", field: "gridavgVoltage"),
        33: Entry(name: "Bulk mid voltage", unit: "V", field: "bulkmidVoltage"),
        34: Entry(name: "Peak power (lifetime)", unit: "W", field: "peakPower"),
        35: Entry(name: "Peak power today", unit: "W", field: "dayPeakPower"),
        36: Entry(name: "Grid voltage neutral", unit: "V", field: "gridnVoltage"),
        37: Entry(name: "Wind generator frequency", unit: "Hz", field: nil),
        38: Entry(name: "Grid voltage neutral-phase", unit: "V", field: "gridnphVoltage"),
    ]
}

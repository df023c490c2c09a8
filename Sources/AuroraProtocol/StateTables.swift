/// Byte 1 of most replies: the inverter's global state. Code 6 means Run.
public struct GlobalState: Sendable, Hashable, CustomStringConvertible {
    /// The raw code.
    public let code: UInt8
    /// Wraps a raw code.
    public init(code: UInt8) { self.code = code }

    /// 6: the inverter is producing.
    public static let run = GlobalState(code: 6)

    /// Whether the inverter is producing (global state 6).
    public var isRunning: Bool { code == 6 }

    /// The text of the code, or `unknown (n)`.
    public var description: String { lookup(Self.texts, code) }

    private static let texts: [UInt8: String] = [
        0: "Sending parameters", 1: "Wait sun / grid", 2: "Checking grid", 3: "Measuring Riso",
        4: "DC/DC start", 5: "Inverter start", 6: "Run", 7: "Recovery", 8: "Pause",
        9: "Ground fault", 10: "OTH fault", 11: "Address setting", 12: "Self test",
        13: "Self test fail", 14: "Sensor test + measure Riso", 15: "Leak fault",
        16: "Waiting for manual reset", 17: "Internal error E026", 18: "Internal error E027",
        19: "Internal error E028", 20: "Internal error E029", 21: "Internal error E030",
        22: "Sending wind table", 23: "Failed sending table", 24: "UTH fault", 25: "Remote OFF",
        26: "Interlock fail", 27: "Executing autotest", 30: "Waiting sun", 31: "Temperature fault",
        32: "Fan stuck", 33: "Internal comm. fault", 34: "Slave insertion", 35: "DC switch open",
        36: "TRAS switch open", 37: "MASTER exclusion", 38: "Auto exclusion",
        98: "Erasing internal EEPROM", 99: "Erasing external EEPROM", 100: "Counting EEPROM",
        101: "Freeze",
    ]
}

/// Byte 2 of the state reply (command 50): the inverter (DC/AC) stage's state.
public struct InverterState: Sendable, Hashable, CustomStringConvertible {
    /// The raw code.
    public let code: UInt8
    /// Wraps a raw code.
    public init(code: UInt8) { self.code = code }

    /// The text of the code, or `unknown (n)`.
    public var description: String { lookup(Self.texts, code) }

    private static let texts: [UInt8: String] = [
        0: "Stand by", 1: "Checking grid", 2: "Run", 3: "Bulk OV", 4: "Out OC", 5: "IGBT sat",
        6: "Bulk UV", 7: "Degauss error", 8: "No parameters", 9: "Bulk low", 10: "Grid OV",
        11: "Communication error", 12: "Degaussing", 13: "Starting", 14: "Bulk cap fail",
        15: "Leak fail", 16: "DC/DC fail", 17: "Ileak sensor fail", 18: "Self-test: relay inverter",
        19: "Self-test: wait for sensor test", 20: "Self-test: test relay DC/DC + sensor",
        21: "Self-test: relay inverter fail", 22: "Self-test: timeout fail",
        23: "Self-test: relay DC/DC fail", 24: "Self test 1", 25: "Waiting self-test start",
        26: "DC injection", 27: "Self test 2", 28: "Self test 3", 29: "Self test 4",
        30: "Internal error", 31: "Internal error", 40: "Forbidden state", 41: "Input UC",
        42: "Zero power", 43: "Grid not present", 44: "Waiting start", 45: "MPPT", 46: "Grid fail",
        47: "Input OC",
    ]
}

/// Bytes 3 and 4 of the state reply (command 50): a DC/DC channel's state.
public struct DCDCState: Sendable, Hashable, CustomStringConvertible {
    /// The raw code.
    public let code: UInt8
    /// Wraps a raw code.
    public init(code: UInt8) { self.code = code }

    /// The text of the code, or `unknown (n)`.
    public var description: String { lookup(Self.texts, code) }

    private static let texts: [UInt8: String] = [
        0: "DC/DC off", 1: "Ramp start", 2: "MPPT", 3: "Not used", 4: "Input OC", 5: "Input UV",
        6: "Input OV", 7: "Input low", 8: "No parameters", 9: "Bulk OV", 10: "Communication error",
        11: "Ramp fail", 12: "Internal error", 13: "Input mode error", 14: "Ground fault",
        15: "Inverter fail", 16: "DC/DC IGBT sat", 17: "DC/DC ILEAK fail", 18: "DC/DC grid fail",
        19: "DC/DC comm. error",
    ]
}

/// An alarm code: byte 5 of the state reply, and each data byte of command 86.
public struct Alarm: Sendable, Hashable, CustomStringConvertible {
    /// The raw code; 0 means no alarm.
    public let code: UInt8
    /// Wraps a raw code.
    public init(code: UInt8) { self.code = code }

    /// The alarm's text, or `unknown (n)`.
    public var text: String { lookup(Self.texts, code) }

    /// The E/W display code of the inverter manual (e.g. `W001`), if the alarm has one.
    public var displayCode: String? { Self.displayCodes[code] }

    /// The text with its display code, e.g. `Sun low (W001)`.
    public var description: String {
        displayCode.map { "\(text) (\($0))" } ?? text
    }

    private static let texts: [UInt8: String] = [
        0: "No alarm", 1: "Sun low", 2: "Input OC", 3: "Input UV", 4: "Input OV", 5: "Sun low",
        6: "No parameters", 7: "Bulk OV", 8: "Comm. error", 9: "Output OC", 10: "IGBT sat",
        11: "Bulk UV", 12: "Internal error", 13: "Grid fail", 14: "Bulk low", 15: "Ramp fail",
        16: "DC/DC fail", 17: "Wrong mode", 18: "Ground fault", 19: "Over temperature",
        20: "Bulk cap fail", 21: "Inverter fail", 22: "Start timeout", 23: "Ground fault",
        24: "Degauss error", 25: "Ileak sensor fail", 26: "DC/DC fail", 27: "Self-test error 1",
        28: "Self-test error 2", 29: "Self-test error 3", 30: "Self-test error 4",
        31: "DC injection error", 32: "Grid OV", 33: "Grid UV", 34: "Grid OF", 35: "Grid UF",
        36: "Z grid high", 37: "Internal error", 38: "Riso low", 39: "Vref error",
        40: "Error meas. V", 41: "Error meas. F", 42: "Error meas. Z", 43: "Error meas. Ileak",
        44: "Error read V", 45: "Error read I", 46: "Table fail", 47: "Fan fail", 48: "UTH",
        49: "Interlock fail", 50: "Remote off", 51: "Vout avg error", 52: "Battery low",
        53: "Clock fail", 54: "Input UC", 55: "Zero power", 56: "Fan stuck", 57: "DC switch open",
        58: "TRAS switch open", 59: "AC switch open", 60: "Bulk UV", 61: "Auto-exclusion",
        62: "Grid df/dt", 63: "DEN switch open", 64: "J-box fail",
    ]

    private static let displayCodes: [UInt8: String] = [
        1: "W001", 2: "E001", 3: "W002", 4: "E002", 5: "W001", 6: "E003", 7: "E004", 8: "E005",
        9: "E006", 10: "E007", 11: "W011", 12: "E009", 13: "W003", 14: "E010", 15: "E011",
        16: "E012", 17: "E013", 19: "E014", 20: "E015", 21: "E016", 22: "E017", 23: "E018",
        25: "E019", 26: "E012", 27: "E020", 28: "E021", 29: "E019", 30: "E022", 31: "E023",
        32: "W004", 33: "W005", 34: "W006", 35: "W007", 36: "W008", 37: "E024", 38: "E025",
        39: "E026", 40: "E027", 41: "E028", 42: "E029", 43: "E030", 44: "E031", 45: "E032",
        46: "W009", 47: "W010", 48: "E033", 49: "E034", 50: "E035", 51: "E036", 52: "W012",
        53: "W013", 54: "E037", 55: "W014", 56: "E038", 57: "E039", 58: "E040", 59: "E041",
        60: "E042", 61: "E043", 62: "W015", 63: "W016", 64: "W017",
    ]
}

/// A table's text for `code`, or `unknown (code)` when the table has none.
func lookup(_ table: [UInt8: String], _ code: UInt8) -> String {
    table[code] ?? "unknown (\(code))"
}

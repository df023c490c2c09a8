/// The Aurora protocol's command codes that aurora-bridge speaks (byte 1 of a request).
public enum Command: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// 50: transmission, global, inverter, DC/DC and alarm states.
    case state = 50
    /// 52: part number, six ASCII characters without state bytes.
    case partNumber = 52
    /// 58: version: model, grid standard, transformer and kind as four characters.
    case version = 58
    /// 59: one DSP measure as a big-endian float.
    case measure = 59
    /// 63: serial number, six ASCII characters without state bytes.
    case serialNumber = 63
    /// 65: manufacturing week and year as four ASCII digits.
    case manufacturingDate = 65
    /// 70: the inverter clock, seconds since 2000-01-01 in inverter-local time.
    case readTime = 70
    /// 71: set the inverter clock.
    case setTime = 71
    /// 72: firmware release as four ASCII characters.
    case firmware = 72
    /// 78: a cumulated energy counter in Wh.
    case cumulatedEnergy = 78
    /// 86: the last four alarm codes.
    case lastAlarms = 86

    /// Whether the reply starts with the transmission and global state bytes.
    /// Commands 52 and 63 use all six payload bytes for ASCII text instead.
    public var replyHasStateBytes: Bool {
        self != .partNumber && self != .serialNumber
    }

    public var description: String {
        switch self {
        case .state: "state (50)"
        case .partNumber: "part number (52)"
        case .version: "version (58)"
        case .measure: "measure (59)"
        case .serialNumber: "serial number (63)"
        case .manufacturingDate: "manufacturing date (65)"
        case .readTime: "read time (70)"
        case .setTime: "set time (71)"
        case .firmware: "firmware (72)"
        case .cumulatedEnergy: "cumulated energy (78)"
        case .lastAlarms: "last alarms (86)"
        }
    }
}

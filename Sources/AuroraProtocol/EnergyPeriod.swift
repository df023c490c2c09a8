/// The period byte of command 78: which cumulated energy counter (integer Wh) to read.
public enum EnergyPeriod: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case day = 0
    case week = 1
    case month = 3
    case year = 4
    case total = 5
    case partial = 6

    /// The loop field name, e.g. `dayEnergy`.
    public var fieldName: String {
        switch self {
        case .day: "dayEnergy"
        case .week: "weekEnergy"
        case .month: "monthEnergy"
        case .year: "yearEnergy"
        case .total: "totalEnergy"
        case .partial: "partialEnergy"
        }
    }

    public var description: String {
        switch self {
        case .day: "current day"
        case .week: "current week"
        case .month: "current month"
        case .year: "current year"
        case .total: "lifetime total"
        case .partial: "partial (since last reset)"
        }
    }
}

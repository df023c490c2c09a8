/// A reading or a derived value, kept in the inverter's own type so it can be published exactly.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    /// A DSP measure: a 32-bit float as the inverter sent it.
    case float(Float)
    /// A counter or a time: energy in Wh, Unix seconds.
    case integer(Int64)
    /// A derived value computed by the bridge (e.g. an archive average).
    case double(Double)

    /// The value as a `Double`, for arithmetic.
    public var double: Double {
        switch self {
        case .float(let value): Double(value)
        case .integer(let value): Double(value)
        case .double(let value): value
        }
    }

    /// The shortest text that reads back as the same value: `494.79935` for a float,
    /// `8636` for an integer.
    public var description: String {
        switch self {
        case .float(let value): value.description
        case .integer(let value): value.description
        case .double(let value):
            value == value.rounded() && abs(value) < 1e15 ? Int64(value).description : value.description
        }
    }
}

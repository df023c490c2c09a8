/// Why a reading was left out of a loop packet although the inverter answered it.
public enum LeftOutReason: String, Sendable, Hashable, Codable, CustomStringConvertible {
    /// A measure read NaN or infinite: not a measurement.
    case notFinite
    /// An energy counter is below its last good value, and no period boundary explains it
    /// (``totalEnergy`` never goes down at all).
    case wentDown
    /// A day, week, month or year counter went down and the inverter's date is unknown (its
    /// clock read failed), so a period boundary cannot be told from a glitch.
    case wentDownWithoutDate
    /// A counter reset at its period boundary, but to more than the inverter could have
    /// produced since that boundary.
    case resetTooLarge
    /// A counter rose by more than the inverter could have produced since its last good value.
    case roseTooFast
    /// `partialEnergy` dropped to near zero; left out until the next reading confirms the reset
    /// (a single 0 is the typical glitch).
    case resetUnconfirmed
    /// A counter read below another one it holds (e.g. `totalEnergy` below `yearEnergy`).
    case belowAnotherCounter

    /// Whether this is an implausible counter (counted as `implausibleReadings`) rather than a
    /// non-finite measure (`nonFiniteReadings`).
    public var isImplausible: Bool { self != .notFinite }

    public var description: String {
        switch self {
        case .notFinite: "not a finite number"
        case .wentDown: "counter went down outside its period boundary"
        case .wentDownWithoutDate: "counter went down and the inverter's date is unknown"
        case .resetTooLarge: "counter reset to more than could be produced since the boundary"
        case .roseTooFast: "counter rose faster than the inverter can produce"
        case .resetUnconfirmed: "counter reset not yet confirmed by a second reading"
        case .belowAnotherCounter: "counter below another counter it holds"
        }
    }
}

/// A reading the inverter answered that was left out of the packet, and why.
public struct LeftOutReading: Sendable, Hashable {
    /// The loop field name (before any renaming), e.g. `totalEnergy`.
    public var field: String
    /// The value read, as text (for the log).
    public var value: String
    /// Why it was left out.
    public var reason: LeftOutReason

    /// A left-out reading from its parts.
    public init(field: String, value: String, reason: LeftOutReason) {
        self.field = field
        self.value = value
        self.reason = reason
    }
}

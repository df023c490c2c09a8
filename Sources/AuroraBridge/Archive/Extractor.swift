/// Which statistic of an archive interval stands for a field (its *primary* value): the value
/// stored in the field's database column and published on `…/archive/<field>`.
///
/// Every ``FieldSummary`` carries all the statistics; the extractor only chooses which one is
/// the field's value. The names follow WeeWX's `[Accumulator]` extractors.
public enum Extractor: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The mean over the packets that had the field.
    case avg
    /// The smallest value.
    case min
    /// The largest value.
    case max
    /// The value of the newest packet.
    case last
    /// The total over the packets (e.g. `energy`, Wh per packet).
    case sum
    /// How many packets had the field.
    case count

    /// The extractor's configuration name, e.g. `avg`.
    public var description: String { rawValue }

    /// The extractor of `field` unless `overrides` names one for it.
    ///
    /// Defaults: `sum` for the derived `energy`; `last` for the energy counters (`dayEnergy`,
    /// `weekEnergy`, `monthEnergy`, `yearEnergy`, `totalEnergy`, `partialEnergy`) and for
    /// `inverterDateTime`; `avg` for every other field.
    /// - Parameters:
    ///   - field: A canonical loop field name, e.g. `gridPower`.
    ///   - overrides: Extractors chosen by the user, by canonical field name.
    public static func primary(for field: String, overrides: [String: Extractor] = [:]) -> Extractor {
        if let chosen = overrides[field] { return chosen }
        switch field {
        case "energy":
            return .sum
        case "dayEnergy", "weekEnergy", "monthEnergy", "yearEnergy", "totalEnergy", "partialEnergy",
            "inverterDateTime":
            return .last
        default:
            return .avg
        }
    }
}

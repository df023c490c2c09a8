/// How an archive interval's values of one field become its summary value.
public enum ArchiveExtractor: String, Sendable, Equatable, CaseIterable {
    /// The mean of the interval's values.
    case avg
    /// The smallest value.
    case min
    /// The largest value.
    case max
    /// The last value (for counters and clocks).
    case last
    /// The sum (for the derived `energy`, Wh per packet).
    case sum
    /// How many values there were.
    case count

    /// The extractor a field has unless `[archive.extractors]` says otherwise: `sum` for
    /// `energy`; `last` for the energy counters (`dayEnergy` … `totalEnergy`, `partialEnergy`)
    /// and `inverterDateTime`; `avg` for everything else.
    public static func defaultExtractor(for field: String) -> ArchiveExtractor {
        switch field {
        case "energy": .sum
        case "inverterDateTime", "dayEnergy", "weekEnergy", "monthEnergy", "yearEnergy", "totalEnergy",
            "partialEnergy":
            .last
        default: .avg
        }
    }
}

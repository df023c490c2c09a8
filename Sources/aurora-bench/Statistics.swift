/// A set of measured values (durations in seconds, sizes, rates) and the statistics the report
/// quotes: mean, nearest-rank percentiles, minimum and maximum.
struct Statistics: Sendable {
    /// The values, ascending.
    let sorted: [Double]

    /// Statistics of `values` (in any order).
    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    /// How many values there are.
    var count: Int { sorted.count }

    /// The arithmetic mean (0 for no values).
    var mean: Double { sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count) }

    /// The smallest value (0 for no values).
    var minimum: Double { sorted.first ?? 0 }

    /// The largest value (0 for no values).
    var maximum: Double { sorted.last ?? 0 }

    /// The `p`-th percentile (0–100) by the nearest-rank method: the smallest value that at
    /// least `p` % of the values do not exceed. p50 is the median; p99 of 1000 values is the
    /// 990th smallest. 0 for no values.
    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The median.
    var p50: Double { percentile(50) }

    /// The 99th percentile.
    var p99: Double { percentile(99) }
}

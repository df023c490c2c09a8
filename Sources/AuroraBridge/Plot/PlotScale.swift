/// A linear map from data values to SVG coordinates, with "nice" tick values (1, 2 or 5 times a
/// power of ten) covering the data range from zero.
struct PlotScale: Sendable, Hashable {
    /// The data value at the start of the axis.
    let lower: Double
    /// The data value at the end of the axis (a tick value, above every data value).
    let upper: Double
    /// The coordinate of ``lower``.
    let start: Double
    /// The coordinate of ``upper``.
    let end: Double
    /// The tick values, from ``lower`` to ``upper``.
    let ticks: [Double]

    /// A scale from zero to a round value at or above `maximum`, with about `tickCount` ticks.
    init(zeroTo maximum: Double, start: Double, end: Double, tickCount: Int = 5) {
        let top = maximum.isFinite && maximum > 0 ? maximum : 1
        let rough = top / Double(max(tickCount, 1))
        let magnitude = Self.powerOfTen(atMost: rough)
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let count = Int((top / step).rounded(.up))
        lower = 0
        upper = Double(count) * step
        self.start = start
        self.end = end
        ticks = (0...count).map { Double($0) * step }
    }

    /// A scale over `lower...upper` with the given tick values.
    init(lower: Double, upper: Double, start: Double, end: Double, ticks: [Double]) {
        self.lower = lower
        self.upper = upper
        self.start = start
        self.end = end
        self.ticks = ticks
    }

    /// The coordinate of `value`.
    func position(_ value: Double) -> Double {
        guard upper > lower else { return start }
        return start + (value - lower) / (upper - lower) * (end - start)
    }

    private static func powerOfTen(atMost value: Double) -> Double {
        var power = 1.0
        while power * 10 <= value { power *= 10 }
        while power > value && power > 1e-9 { power /= 10 }
        return power
    }
}

import Foundation

extension DayPlot {
    /// The archive records a plot of `day` draws: those whose interval ends within the day
    /// (records are stamped with their interval's end, so the day's last one ends at midnight),
    /// of `inverter` or of every inverter when nil, oldest first.
    public static func records(of day: LocalDay, inverter: String?, in store: ArchiveStore)
        async throws(ArchiveStoreError) -> [ArchiveRecord]
    {
        try await store.records(inverter: inverter, from: day.start + 1, to: day.end)
    }

    /// The plot of `inverter`'s `records` of `day` (see ``records(of:inverter:in:)``).
    public init(inverter: String, day: LocalDay, timeZone: TimeZone = .current, records: [ArchiveRecord]) {
        self.init(inverter: inverter, day: day.text, start: day.start, end: day.end, timeZone: timeZone, records: records)
    }
}

import Foundation

/// A local calendar day given as `YYYY-MM-DD`: from its midnight to the next (23 to 25 hours).
public struct LocalDay: Sendable, Hashable {
    /// The day, `YYYY-MM-DD`.
    public let text: String
    /// Unix seconds of the day's first local midnight.
    public let start: Int64
    /// Unix seconds of the next day's local midnight.
    public let end: Int64

    /// The day `text` (`YYYY-MM-DD`) in `timeZone`; nil when `text` is not such a day.
    public init?(_ text: String, timeZone: TimeZone = .current) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let calendar = Self.calendar(timeZone)
        let components = DateComponents(year: year, month: month, day: day)
        guard calendar.dateComponents([.year, .month, .day], from: calendar.date(from: components) ?? .distantPast) == components,
            let first = calendar.date(from: components)
        else { return nil }
        self.init(first: first, calendar: calendar)
    }

    /// The local day in `timeZone` that holds the Unix time `time`.
    public init(containing time: Double, timeZone: TimeZone = .current) {
        let calendar = Self.calendar(timeZone)
        self.init(first: calendar.startOfDay(for: Date(timeIntervalSince1970: time)), calendar: calendar)
    }

    /// The day that starts at `first`, a local midnight of `calendar`.
    private init(first: Date, calendar: Calendar) {
        let parts = calendar.dateComponents([.year, .month, .day], from: first)
        text = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        start = Int64(first.timeIntervalSince1970)
        let next = calendar.date(byAdding: .day, value: 1, to: first) ?? first.addingTimeInterval(86_400)
        end = Int64(next.timeIntervalSince1970)
    }

    private static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AuroraProtocol

/// The inverter's local calendar: where the current day, week, month and year began, so that a
/// counter's reset can be checked against the period boundary it belongs to.
///
/// Local time is the host's time zone (as for ``InverterClock``): the inverter's clock carries
/// no zone, and the bridge reads it as host-local time. The week may start on a Monday or a
/// Sunday (firmware differs): the most recent of those midnights counts as the week's start.
public struct CounterCalendar: Sendable {
    private var calendar: Calendar

    /// The calendar of `timeZone` (default: the host's).
    public init(timeZone: TimeZone = .current) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The zone periods are computed in.
    public var timeZone: TimeZone { calendar.timeZone }

    /// The Unix time at which the period of `period` holding `time` began, or nil for the
    /// counters that have no period (total and partial).
    public func periodStart(_ period: EnergyPeriod, containing time: Int64) -> Int64? {
        let date = Date(timeIntervalSince1970: Double(time))
        let midnight = calendar.startOfDay(for: date)
        let start: Date
        switch period {
        case .day:
            start = midnight
        case .week:
            // Weekday 1 is Sunday, 2 Monday: back to the most recent Sunday or Monday midnight.
            let weekday = calendar.component(.weekday, from: midnight)
            let back = weekday == 1 ? 0 : weekday - 2
            start = calendar.date(byAdding: .day, value: -back, to: midnight) ?? midnight
        case .month:
            start = calendar.dateInterval(of: .month, for: date)?.start ?? midnight
        case .year:
            start = calendar.dateInterval(of: .year, for: date)?.start ?? midnight
        case .total, .partial:
            return nil
        }
        return Int64(start.timeIntervalSince1970.rounded(.down))
    }

    /// Whether `earlier` and `later` fall on the same local day.
    public func sameDay(_ earlier: Int64, _ later: Int64) -> Bool {
        periodStart(.day, containing: earlier) == periodStart(.day, containing: later)
    }
}

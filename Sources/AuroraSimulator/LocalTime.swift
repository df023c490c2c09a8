#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A simulated instant seen on the inverter's local wall clock: which local day it falls on and
/// how far into that day it is.
///
/// Days are counted from 1970-01-01 in local time, so calendar arithmetic (week, month and year
/// starts) is plain integer arithmetic on ``day``.
struct LocalTime: Sendable, Hashable, Comparable {
    /// The local day number: 0 is 1970-01-01 local.
    let day: Int
    /// Seconds since local midnight, 0 ..< 86 400 (wall-clock seconds).
    let secondOfDay: Double

    static let secondsPerDay = 86_400.0

    /// The local wall-clock time of the Unix time `unix` in `timeZone`.
    init(unix: Double, timeZone: TimeZone) {
        let offset = Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: unix)))
        let wall = unix + offset
        let day = (wall / Self.secondsPerDay).rounded(.down)
        self.day = Int(day)
        secondOfDay = wall - day * Self.secondsPerDay
    }

    /// The calendar date of ``day``.
    var date: CivilDate { CivilDate(day: day) }

    /// Local midnight at the start of day number `day`.
    init(midnightOf day: Int) {
        self.day = day
        secondOfDay = 0
    }

    /// Earlier on the local wall clock.
    static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        (lhs.day, lhs.secondOfDay) < (rhs.day, rhs.secondOfDay)
    }
}

/// A proleptic Gregorian calendar date, converted to and from day numbers without Foundation's
/// calendar (exact and fast for any day).
struct CivilDate: Sendable, Hashable {
    let year: Int
    let month: Int
    let dayOfMonth: Int

    /// The date of day number `day` (0 = 1970-01-01).
    init(day: Int) {
        let shifted = day + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// A date from its parts (`month` 1–12, `dayOfMonth` 1–31).
    init(year: Int, month: Int, dayOfMonth: Int) {
        self.year = year
        self.month = month
        self.dayOfMonth = dayOfMonth
    }

    /// The day number of this date (0 = 1970-01-01).
    var day: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + dayOfMonth - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Days since the most recent Monday: 0 on Mondays, 6 on Sundays.
    static func daysSinceMonday(day: Int) -> Int {
        // 1970-01-01 was a Thursday, three days after a Monday.
        ((day + 3) % 7 + 7) % 7
    }
}

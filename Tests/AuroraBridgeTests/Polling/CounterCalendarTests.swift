import AuroraBridge
import Foundation
import Testing

@Suite struct CounterCalendarTests {
    /// 2026-06-17 (a Wednesday) 15:30 UTC.
    static let wednesday: Int64 = 1_781_710_200
    static let day: Int64 = 86_400

    @Test func periodStartsInUTC() {
        let calendar = CounterCalendar(timeZone: .gmt)
        let midnight = Self.wednesday - (15 * 3600 + 1800)
        #expect(calendar.periodStart(.day, containing: Self.wednesday) == midnight)
        #expect(calendar.periodStart(.week, containing: Self.wednesday) == midnight - 2 * Self.day, "Monday")
        #expect(calendar.periodStart(.week, containing: midnight + 4 * Self.day) == midnight + 4 * Self.day, "Sunday counts too")
        #expect(calendar.periodStart(.month, containing: Self.wednesday) == midnight - 16 * Self.day)
        #expect(calendar.periodStart(.year, containing: Self.wednesday) == 1_767_225_600)
        #expect(calendar.periodStart(.total, containing: Self.wednesday) == nil)
        #expect(calendar.periodStart(.partial, containing: Self.wednesday) == nil)
    }

    @Test func localMidnightFollowsTheZone() throws {
        let rome = CounterCalendar(timeZone: try #require(TimeZone(identifier: "Europe/Rome")))
        // Rome is UTC+2 in June: local midnight is 22:00 UTC the day before.
        let utcMidnight = Self.wednesday - (15 * 3600 + 1800)
        #expect(rome.periodStart(.day, containing: Self.wednesday) == utcMidnight - 2 * 3600)
        #expect(rome.sameDay(utcMidnight - 2 * 3600, Self.wednesday))
        #expect(!rome.sameDay(utcMidnight - 2 * 3600 - 1, Self.wednesday))
    }
}

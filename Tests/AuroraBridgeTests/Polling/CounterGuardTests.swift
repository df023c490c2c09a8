import AuroraBridge
import AuroraLink
import AuroraProtocol
import Foundation
import Testing

@Suite struct CounterGuardTests {
    /// 2026-06-17 (a Wednesday) 12:00 UTC.
    static let noon: Int64 = 1_781_697_600
    /// 2026-06-17 00:00 UTC.
    static let midnight = noon - 12 * 3600
    let calendar = CounterCalendar(timeZone: .gmt)

    /// Screens `counters` read at `time`.
    private func screen(_ guarded: inout CounterGuard, _ counters: [EnergyPeriod: Int64], at time: Int64?) -> CounterGuard.Screening {
        guarded.screen(counters, inverterTime: time, calendar: calendar)
    }

    @Test func totalEnergyNeverGoesDown() {
        var guarded = CounterGuard()
        #expect(screen(&guarded, [.total: 18_500_000], at: Self.noon).accepted[.total] == 18_500_000)
        let glitch = screen(&guarded, [.total: 0], at: Self.noon + 30)
        #expect(glitch.accepted[.total] == nil && glitch.leftOut[.total] == .wentDown)
        // Not even at midnight, and not by 1 Wh.
        #expect(screen(&guarded, [.total: 18_499_999], at: Self.midnight + 86_400).leftOut[.total] == .wentDown)
        #expect(screen(&guarded, [.total: 18_500_010], at: Self.midnight + 86_430).accepted[.total] == 18_500_010)
    }

    @Test func aCounterRisingFasterThanTheInverterCanProduceIsLeftOut() {
        var guarded = CounterGuard()
        _ = screen(&guarded, [.total: 1_000_000], at: Self.noon)
        // 30 s at 15 kW is 125 Wh, plus the 100 Wh slack.
        #expect(screen(&guarded, [.total: 1_000_225], at: Self.noon + 30).accepted[.total] == 1_000_225)
        #expect(screen(&guarded, [.total: 1_900_000], at: Self.noon + 60).leftOut[.total] == .roseTooFast)
        #expect(screen(&guarded, [.total: 1_000_300], at: Self.noon + 90).accepted[.total] == 1_000_300)
    }

    @Test func aWrongLastValueLocksACounterOutForOneReadingOnly() {
        // A fresh start whose very first day counter is a 0 glitch: nothing to judge it by.
        var guarded = CounterGuard()
        #expect(screen(&guarded, [.day: 0], at: Self.noon).accepted[.day] == 0)
        #expect(screen(&guarded, [.day: 20_000], at: Self.noon + 30).leftOut[.day] == .roseTooFast)
        // The next reading agrees with the one left out: the rise is real.
        #expect(screen(&guarded, [.day: 20_010], at: Self.noon + 60).accepted[.day] == 20_010)
        // A spike the next reading does not confirm stays out.
        #expect(screen(&guarded, [.day: 90_000], at: Self.noon + 90).leftOut[.day] == .roseTooFast)
        #expect(screen(&guarded, [.day: 20_030], at: Self.noon + 120).accepted[.day] == 20_030)
    }

    @Test func aCounterBelowOneItHoldsIsLeftOutEvenOnTheFirstReading() {
        var guarded = CounterGuard()
        let first = screen(&guarded, [.day: 5_000, .week: 9_000, .month: 0, .year: 3_000_000, .total: 0, .partial: 2_000], at: Self.noon)
        #expect(first.leftOut == [.month: .belowAnotherCounter, .total: .belowAnotherCounter])
        #expect(first.accepted == [.day: 5_000, .week: 9_000, .year: 3_000_000, .partial: 2_000])
        // A 0 of the smaller counter breaks no nesting (it is judged against its own mark).
        let second = screen(&guarded, [.day: 0, .month: 300_000, .total: 18_500_000], at: Self.noon + 30)
        #expect(second.accepted == [.month: 300_000, .total: 18_500_000] && second.leftOut == [.day: .wentDown])
    }

    @Test func periodCountersGoDownOnlyAtTheirBoundaryAndOnlyToASmallValue() {
        var guarded = CounterGuard()
        let all: [EnergyPeriod: Int64] = [.day: 20_000, .week: 60_000, .month: 300_000, .year: 3_000_000]
        #expect(screen(&guarded, all, at: Self.midnight + 86_400 - 60).leftOut.isEmpty)
        // A zero late on Wednesday is a glitch for every period.
        let midday = screen(&guarded, [.day: 0, .week: 0, .month: 0, .year: 0], at: Self.midnight + 86_400 - 30)
        #expect(midday.accepted.isEmpty && Set(midday.leftOut.values) == [.wentDown])
        // Past Thursday midnight: only the day counter may reset; and only to what 15 kW
        // produce in the 30 s since midnight, plus the slack.
        let thursday = Self.midnight + 86_400 + 30
        let reset = screen(&guarded, [.day: 2, .week: 0, .month: 0, .year: 0], at: thursday)
        #expect(reset.accepted == [.day: 2])
        #expect(reset.leftOut == [.week: .wentDown, .month: .wentDown, .year: .wentDown])
        var other = CounterGuard()
        _ = screen(&other, [.day: 20_000], at: Self.midnight + 86_400 - 60)
        #expect(screen(&other, [.day: 19_000], at: thursday).leftOut[.day] == .resetTooLarge)
    }

    @Test func weekMonthAndYearResetAtTheirOwnBoundaries() {
        var guarded = CounterGuard()
        // 2026-06-30 (a Tuesday) 23:59, then 2026-07-01 00:00:30.
        let endOfJune: Int64 = 1_782_863_940
        _ = screen(&guarded, [.week: 30_000, .month: 500_000, .year: 3_000_000], at: endOfJune)
        let july = screen(&guarded, [.week: 0, .month: 0, .year: 0], at: endOfJune + 90)
        #expect(july.accepted == [.month: 0])
        #expect(july.leftOut == [.week: .wentDown, .year: .wentDown])
        // 2027-01-01 00:00:30: the year resets too (months later, so the week has as well).
        let newYear: Int64 = 1_798_761_630
        #expect(screen(&guarded, [.week: 0, .month: 0, .year: 0], at: newYear).accepted == [.week: 0, .month: 0, .year: 0])
    }

    @Test func withTheDateUnknownACounterThatWentDownIsLeftOut() {
        var guarded = CounterGuard()
        _ = screen(&guarded, [.day: 20_000], at: Self.midnight + 86_400 - 60)
        #expect(screen(&guarded, [.day: 3], at: nil).leftOut[.day] == .wentDownWithoutDate)
        // A rise with no date is fine, and the next dated reset is judged on the last date known.
        #expect(screen(&guarded, [.day: 20_010], at: nil).accepted[.day] == 20_010)
        #expect(screen(&guarded, [.day: 3], at: Self.midnight + 86_400 + 30).accepted[.day] == 3)
    }

    @Test func partialEnergyResetsNearZeroOnceConfirmed() {
        var guarded = CounterGuard()
        _ = screen(&guarded, [.partial: 2_450_000], at: Self.noon)
        // A single 0 is left out, and the next reading is judged against the old mark.
        #expect(screen(&guarded, [.partial: 0], at: Self.noon + 30).leftOut[.partial] == .resetUnconfirmed)
        #expect(screen(&guarded, [.partial: 2_450_010], at: Self.noon + 60).accepted[.partial] == 2_450_010)
        // Glitches in a row are left out too, however many.
        #expect(screen(&guarded, [.partial: 0], at: Self.noon + 90).leftOut[.partial] == .resetUnconfirmed)
        #expect(screen(&guarded, [.partial: 0], at: Self.noon + 120).leftOut[.partial] == .resetUnconfirmed)
        #expect(screen(&guarded, [.partial: 2_450_020], at: Self.noon + 150).accepted[.partial] == 2_450_020)
        // Reset by the user: low readings that go on, rising as the inverter produces, for
        // the confirmation time; then the reset is accepted.
        let reset = Self.noon + 200
        #expect(screen(&guarded, [.partial: 0], at: reset).leftOut[.partial] == .resetUnconfirmed)
        #expect(screen(&guarded, [.partial: 5], at: reset + 300).leftOut[.partial] == .resetUnconfirmed)
        let confirmed = reset + CounterGuard.partialResetConfirmation
        #expect(screen(&guarded, [.partial: 9], at: confirmed).accepted[.partial] == 9)
        #expect(screen(&guarded, [.partial: 12], at: confirmed + 30).accepted[.partial] == 12)
        // Lower again: another reset to confirm. Far from zero: not a reset at all.
        #expect(screen(&guarded, [.partial: 2], at: confirmed + 60).leftOut[.partial] == .resetUnconfirmed)
        var other = CounterGuard()
        _ = screen(&other, [.partial: 2_450_000], at: Self.noon)
        #expect(screen(&other, [.partial: 1_000_000], at: Self.noon + 30).leftOut[.partial] == .wentDown)
    }

    @Test func energyComesFromTheGuardedDayCounterAndSumsToItsRise() {
        var guarded = CounterGuard()
        var sum: Int64 = 0
        // A day with a 0 glitch every fifth reading; the true counter rises 10 Wh per poll.
        for poll in Int64(0)..<100 {
            let value = poll % 5 == 3 ? 0 : 1_000 + 10 * poll
            sum += screen(&guarded, [.day: value], at: Self.noon + 30 * poll).energy ?? 0
        }
        #expect(sum == 10 * 99)
        // Past midnight the new day's value counts.
        #expect(screen(&guarded, [.day: 4], at: Self.midnight + 86_400 + 6 * 3600).energy == 4)
    }

    @Test func nonFiniteMeasuresAndImplausibleCountersAreLeftOutOfTheFields() {
        var guarded = CounterGuard()
        var snapshot = InverterSnapshot(address: 2)
        snapshot.measures = [.gridPower: 1234.5, .gridVoltage: .nan, .gridFrequency: .infinity]
        snapshot.energy = [.day: 5_000, .total: 18_500_000]
        snapshot.inverterTime = Self.noon
        let first = guarded.fields(from: snapshot, calendar: calendar)
        #expect(first.fields.map(\.name) == ["gridPower", "dayEnergy", "totalEnergy", "inverterDateTime"])
        #expect(Set(first.leftOut.map(\.field)) == ["gridVoltage", "gridFrequency"])
        #expect(first.leftOut.allSatisfy { $0.reason == .notFinite })
        snapshot.energy[.total] = 0
        snapshot.energy[.day] = 5_020
        snapshot.inverterTime = Self.noon + 30
        let second = guarded.fields(from: snapshot, calendar: calendar)
        #expect(second.fields.map(\.name) == ["gridPower", "dayEnergy", "inverterDateTime", "energy"])
        #expect(second.leftOut.contains(LeftOutReading(field: "totalEnergy", value: "0", reason: .belowAnotherCounter)))
        #expect(second.fields.last?.value == .integer(20))
    }

    @Test func aStoredGuardIsAdoptedWithTheHigherTotalAndRoundTripsAsJSON() throws {
        var stored = CounterGuard()
        _ = screen(&stored, [.day: 5_000, .total: 18_500_000], at: Self.noon)
        let decoded = try JSONDecoder().decode(CounterGuard.self, from: try JSONEncoder().encode(stored))
        #expect(decoded == stored)
        var fresh = CounterGuard()
        _ = screen(&fresh, [.total: 10], at: Self.noon + 30)
        fresh.adopt(decoded)
        #expect(fresh.marks["totalEnergy"]?.value == 18_500_000)
        #expect(fresh.energy.baseline == CounterMark(value: 5_000, time: Self.noon))
        // After a restart mid-day, energy continues from the stored baseline.
        #expect(screen(&fresh, [.day: 5_300, .total: 18_500_300], at: Self.noon + 600).energy == 300)
    }
}

import AuroraBridge
import Testing

@Suite struct EnergyDeriverTests {
    /// 2026-06-21 12:00 UTC.
    static let noon: Int64 = 1_782_043_200
    let calendar = CounterCalendar(timeZone: .gmt)

    @Test func firstPacketHasNoEnergyThenDeltas() {
        var deriver = EnergyDeriver()
        #expect(deriver.energy(dayEnergy: 100, inverterTime: Self.noon, calendar: calendar) == nil)
        #expect(deriver.energy(dayEnergy: 130, inverterTime: Self.noon + 30, calendar: calendar) == 30)
        #expect(deriver.energy(dayEnergy: 130, inverterTime: Self.noon + 60, calendar: calendar) == 0)
    }

    @Test func aFailedReadKeepsTheBaseline() {
        var deriver = EnergyDeriver()
        _ = deriver.energy(dayEnergy: 100, inverterTime: Self.noon, calendar: calendar)
        #expect(deriver.energy(dayEnergy: nil, inverterTime: Self.noon + 30, calendar: calendar) == nil)
        #expect(deriver.energy(dayEnergy: 150, inverterTime: Self.noon + 60, calendar: calendar) == 50)
    }

    @Test func theInvertersNewDayCountsWhatWasProducedSinceItsMidnight() {
        var deriver = EnergyDeriver()
        _ = deriver.energy(dayEnergy: 21_000, inverterTime: Self.noon, calendar: calendar)
        let nextMorning = Self.noon + 19 * 3600
        #expect(deriver.energy(dayEnergy: 4, inverterTime: nextMorning, calendar: calendar) == 4)
        #expect(deriver.energy(dayEnergy: 10, inverterTime: nextMorning + 30, calendar: calendar) == 6)
    }

    @Test func aNewDayIsTheDateNotADrop() {
        // Stopped over midnight: the next day's counter is above yesterday's last reading, yet
        // all of it was produced today.
        var deriver = EnergyDeriver()
        _ = deriver.energy(dayEnergy: 5_000, inverterTime: Self.noon - 4 * 3600, calendar: calendar)
        #expect(deriver.energy(dayEnergy: 8_000, inverterTime: Self.noon + 86_400, calendar: calendar) == 8_000)
    }

    @Test func anUnknownDateKeepsTheBaselinesDate() {
        var deriver = EnergyDeriver()
        _ = deriver.energy(dayEnergy: 100, inverterTime: Self.noon, calendar: calendar)
        #expect(deriver.energy(dayEnergy: 140, inverterTime: nil, calendar: calendar) == 40)
        #expect(deriver.baseline == CounterMark(value: 140, time: Self.noon))
    }
}

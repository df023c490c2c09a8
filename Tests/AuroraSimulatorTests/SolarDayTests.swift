import AuroraSimulator
import Testing

@Suite("PV day")
struct SolarDayTests {
    let day = SolarDay()

    @Test func phasesFollowTheClockThroughTheDay() {
        let expected: [(Double, InverterPhase)] = [
            (0, .night), (5 * 3600 + 44 * 60, .night), (5 * 3600 + 45 * 60, .waitingSunOrGrid),
            (5 * 3600 + 50 * 60, .checkingGrid), (5 * 3600 + 55 * 60, .measuringRiso), (6 * 3600, .running),
            (13 * 3600, .running), (19 * 3600 + 59 * 60, .running), (20 * 3600, .windingDown),
            (20 * 3600 + 9 * 60, .windingDown), (20 * 3600 + 10 * 60, .night), (23 * 3600, .night),
        ]
        for (second, phase) in expected {
            #expect(day.phase(at: second) == phase, "at \(second / 3600) h")
        }
    }

    @Test func powerPeaksAtSolarNoonAndIsZeroOutsideTheDay() {
        #expect(day.solarNoon == 13 * 3600)
        #expect(day.power(at: day.solarNoon) == 3600)
        #expect(day.power(at: 5 * 3600) == 0)
        #expect(day.power(at: 21 * 3600) == 0)
        #expect(day.power(at: 10 * 3600) > 0 && day.power(at: 10 * 3600) < 3600)
        #expect(abs(day.power(at: 10 * 3600) - day.power(at: 16 * 3600)) < 1e-9, "symmetric around noon")
    }

    @Test func energyIsTheIntegralOfPower() {
        // Simpson's rule over the production window, one-minute steps.
        let steps = 840
        let width = (day.sunset - day.sunrise) / Double(steps)
        for end in stride(from: 0, through: steps, by: 120) {
            var sum = 0.0
            for index in 0..<end {
                let a = day.sunrise + Double(index) * width
                sum += width / 6 * (day.power(at: a) + 4 * day.power(at: a + width / 2) + day.power(at: a + width))
            }
            let upTo = day.sunrise + Double(end) * width
            #expect(abs(day.energy(until: upTo) - sum / 3600) < 0.01, "until \(upTo / 3600) h")
        }
        #expect(day.energy(until: day.sunset) == day.dailyEnergy)
        #expect(day.energy(until: 86_399) == day.dailyEnergy)
        #expect(day.dailyEnergy == 25_200)
    }

    @Test func peakPowerRisesUntilNoonAndThenHolds() {
        #expect(day.peakPower(until: 3 * 3600) == 0)
        #expect(day.peakPower(until: 10 * 3600) == day.power(at: 10 * 3600))
        #expect(day.peakPower(until: 17 * 3600) == 3600)
        #expect(day.peakPower(until: 23 * 3600) == 3600)
    }

    @Test func rejectsDaysThatDoNotFit() {
        #expect(throws: SimulatorError.self) { try SolarDay(sunrise: 20 * 3600, sunset: 6 * 3600).validate() }
        #expect(throws: SimulatorError.self) { try SolarDay(sunrise: 600).validate() }
        #expect(throws: SimulatorError.self) { try SolarDay(nominalPower: 0).validate() }
        #expect(throws: Never.self) { try SolarDay().validate() }
    }
}

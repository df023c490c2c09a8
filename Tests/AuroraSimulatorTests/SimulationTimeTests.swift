import AuroraSimulator
import Foundation
import Testing

@Suite("Times and clocks")
struct SimulationTimeTests {
    @Test func readsUnixSecondsAndISO8601() throws {
        let utc = TimeZone.gmt
        let rome = try #require(TimeZone(identifier: "Europe/Rome"))
        #expect(try SimulationTime.parse("1782000000", timeZone: utc) == 1_782_000_000)
        #expect(try SimulationTime.parse("1782000000.5", timeZone: utc) == 1_782_000_000.5)
        #expect(try SimulationTime.parse("2026-06-21T00:00:00", timeZone: utc) == 1_782_000_000)
        #expect(try SimulationTime.parse("2026-06-21 05:30", timeZone: utc) == 1_782_000_000 + 5.5 * 3600)
        #expect(try SimulationTime.parse("2026-06-21T02:00:00", timeZone: rome) == 1_782_000_000)
        #expect(try SimulationTime.parse("2026-06-21T00:00:00Z", timeZone: rome) == 1_782_000_000)
        #expect(try SimulationTime.parse("2026-06-21T02:00:00+02:00", timeZone: utc) == 1_782_000_000)
        #expect(try SimulationTime.parse(" 2026-06-20T19:00:00-0500 ", timeZone: utc) == 1_782_000_000)
    }

    @Test(arguments: ["", "yesterday", "2026-13-01T00:00:00", "2026-06-21", "2026-06-21T25:00:00", "1e9", "1850-01-01T00:00:00"])
    func rejectsOtherText(text: String) {
        #expect(throws: SimulatorError.invalidTime(text)) { try SimulationTime.parse(text, timeZone: .gmt) }
    }

    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualClock(100)
        #expect(clock.now == 100)
        clock.advance(by: 50)
        #expect(clock.now == 150)
        clock.set(10)
        #expect(clock.now == 10)
    }

    @Test func scaledClockRunsFasterThanRealTime() {
        let before = ContinuousClock.now
        let clock = ScaledClock(start: 1000, timeScale: 600)
        let reading = clock.now
        let elapsed = ContinuousClock.now - before
        let bound = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) * 600
        #expect(reading >= 1000 && reading <= 1000 + bound)
        #expect(clock.now >= reading)
    }
}

import AuroraProtocol
import AuroraSimulator
import Foundation
import Testing

@Suite("Inverter model")
struct InverterModelTests {
    typealias F = Fixtures
    let model = Fixtures.model()

    @Test func silentAtNight() {
        for hour in [0.0, 3, 5.5, 20.5, 23] {
            let time = F.sunday + hour * F.hour
            #expect(model.reply(to: .state(address: 2), at: time) == nil, "at \(hour) h")
            #expect(model.snapshot(at: time) == nil)
        }
    }

    @Test func wakesThroughStatesOneTwoThreeThenRuns() {
        var seen: [UInt8] = []
        for minute in stride(from: 5 * 60.0, through: 7 * 60, by: 1) {
            guard let reply = model.reply(to: .state(address: 2), at: F.sunday + minute * 60) else { continue }
            let state = reply.globalState.code
            if seen.last != state { seen.append(state) }
        }
        #expect(seen == [1, 2, 3, 6])
    }

    @Test func windsDownAtDuskThenFallsSilent() throws {
        let dusk = try #require(model.reply(to: .state(address: 2), at: F.sunday + 20 * F.hour + 60))
        #expect(dusk.globalState.code == 30)
        #expect(model.measure(.gridPower, at: F.sunday + 20 * F.hour + 60) == 0)
        #expect(model.reply(to: .state(address: 2), at: F.sunday + 20 * F.hour + 11 * 60) == nil)
    }

    @Test func statusBytesMatchThePhase() throws {
        let running = try #require(model.snapshot(at: F.sunday + 12 * F.hour)).status
        #expect(running.global.code == 6 && running.inverter.code == 2)
        #expect(running.dcdc1.code == 2 && running.dcdc2.code == 2 && running.alarm.code == 0)
        let waiting = try #require(model.snapshot(at: F.sunday + 5.8 * F.hour)).status
        #expect(waiting.global.code == 1 && waiting.alarm.code == 1)
    }

    @Test func alwaysAwakeAnswersAtNightWithWaitSunAndZeroPower() throws {
        let awake = Fixtures.model(alwaysAwake: true)
        let midnight = F.sunday + 1
        let reply = try #require(awake.reply(to: .state(address: 2), at: midnight))
        #expect(reply.globalState.code == 1)
        #expect(awake.measure(.gridPower, at: midnight) == 0)
        #expect(awake.reply(to: .state(address: 2), at: F.sunday + 13 * F.hour)?.globalState.code == 6)
    }

    @Test func middayPeakIsTheNominalPower() {
        #expect(model.measure(.gridPower, at: F.sunday + 13 * F.hour) == 3600)
        var custom = model
        custom.day.nominalPower = 4200
        #expect(custom.measure(.gridPower, at: F.sunday + 13 * F.hour) == 4200)
    }

    @Test(arguments: [8.0, 10.5, 13, 17.25])
    func readingsAreConsistent(hour: Double) throws {
        let snapshot = try #require(model.snapshot(at: F.sunday + hour * F.hour))
        let m = snapshot.measures
        #expect(m.count == MeasureType.polled.count, "every polled measure is served")
        for type in MeasureType.polled { #expect(m[type] != nil, "\(type)") }
        func value(_ type: MeasureType) -> Double { Double(m[type] ?? .nan) }
        let dcPower = value(.string1Power) + value(.string2Power)
        #expect(abs(value(.gridPower) - dcPower * 0.965) < 0.01)
        #expect(abs(value(.gridCurrent) * value(.gridVoltage) - value(.gridPower)) < 0.01)
        #expect(abs(value(.string1Current) * value(.string1Voltage) - value(.string1Power)) < 0.01)
        #expect(abs(value(.string2Current) * value(.string2Voltage) - value(.string2Power)) < 0.01)
        #expect((225...236).contains(value(.gridVoltage)))
        #expect((49.9...50.1).contains(value(.gridFrequency)))
        #expect((250...400).contains(value(.string1Voltage)))
        #expect(abs(value(.bulkMidVoltage) * 2 - value(.bulkVoltage)) < 0.01)
        #expect((5...30).contains(value(.isolationResistance)), "MΩ")
        #expect(value(.leakCurrent) < 0.05 && value(.leakDCCurrent) < 0.05)
        #expect(value(.inverterTemperature) > value(.boosterTemperature) - 0.01)
        #expect(value(.dayPeakPower) >= value(.gridPower))
        #expect(value(.peakPower) >= value(.dayPeakPower))
    }

    @Test func valuesAreDeterministicAndDifferPerAddress() {
        let time = F.sunday + 11 * F.hour + 17
        let again = Fixtures.model()
        let other = Fixtures.model(address: 3)
        for type in MeasureType.polled {
            #expect(model.measure(type, at: time) == again.measure(type, at: time))
        }
        #expect(model.measure(.gridVoltage, at: time) != other.measure(.gridVoltage, at: time))
        #expect(model.measure(.gridPower, at: time) == other.measure(.gridPower, at: time))
    }

    @Test func dayCounterIntegratesPowerExactly() {
        let dayTotal = UInt32(model.day.dailyEnergy)
        #expect(model.energy(.day, at: F.sunday + 5 * F.hour) == 0)
        #expect(model.energy(.day, at: F.sunday + 13 * F.hour) == dayTotal / 2)
        #expect(model.energy(.day, at: F.sunday + 21 * F.hour) == dayTotal)
        let tenOClock = model.day.energy(until: 10 * F.hour)
        #expect(model.energy(.day, at: F.sunday + 10 * F.hour) == UInt32(tenOClock.rounded(.down)))
    }

    @Test func countersNeverDecreaseWithinTheirPeriod() {
        var previous: [EnergyPeriod: UInt32] = [:]
        for minute in stride(from: 0.0, to: 24 * 60, by: 7) {
            let time = F.monday + minute * 60
            for period in EnergyPeriod.allCases {
                let value = model.energy(period, at: time)
                if let before = previous[period] { #expect(value >= before, "\(period) at minute \(minute)") }
                previous[period] = value
            }
        }
    }

    @Test func dayCounterRollsOverAtMidnight() {
        let dayTotal = UInt32(model.day.dailyEnergy)
        #expect(model.energy(.day, at: F.monday - 1) == dayTotal)
        #expect(model.energy(.day, at: F.monday) == 0)
    }

    @Test func weekCounterRollsOverOnMonday() {
        let daily = model.day.dailyEnergy
        // Sunday evening: Monday 15 June … Sunday 21 June, seven full days.
        #expect(model.energy(.week, at: F.monday - 1) == UInt32(7 * daily))
        #expect(model.energy(.week, at: F.monday) == 0)
        #expect(model.energy(.week, at: F.monday + F.day + 23 * F.hour) == UInt32(2 * daily))
    }

    @Test func monthCounterRollsOverOnTheFirst() {
        let daily = model.day.dailyEnergy
        #expect(model.energy(.month, at: F.firstOfJuly - 1) == UInt32(30 * daily))
        #expect(model.energy(.month, at: F.firstOfJuly) == 0)
        #expect(model.energy(.month, at: F.sunday + 22 * F.hour) == UInt32(21 * daily))
    }

    @Test func yearCounterRollsOverOnNewYear() {
        let daily = model.day.dailyEnergy
        #expect(model.energy(.year, at: F.newYear2027 - 1) == UInt32(365 * daily))
        #expect(model.energy(.year, at: F.newYear2027) == 0)
        #expect(model.energy(.year, at: F.newYear2027 + 2 * F.day + 12 * F.hour) == UInt32(2 * daily + model.day.energy(until: 12 * F.hour)))
    }

    @Test func totalAndPartialCountFromTheirBases() {
        #expect(model.energy(.total, at: F.sunday) == 18_500_000)
        #expect(model.energy(.partial, at: F.sunday) == 2_450_000)
        let tenDaysLater = F.sunday + 10 * F.day
        #expect(model.energy(.total, at: tenDaysLater) == 18_500_000 + 10 * 25_200)
        #expect(model.energy(.partial, at: tenDaysLater) == 2_450_000 + 10 * 25_200)
        // A time jump a year ahead costs nothing and is exact.
        #expect(model.energy(.total, at: F.sunday + 365 * F.day) == 18_500_000 + 365 * 25_200)
    }

    @Test func dayPeakResetsAtMidnightAndLifetimePeakPersists() {
        var fresh = model
        fresh.lifetimePeakBase = 0
        let evening = F.sunday + 22 * F.hour
        #expect(fresh.measure(.dayPeakPower, at: evening) == 3600)
        #expect(fresh.measure(.dayPeakPower, at: F.monday + 60) == 0)
        #expect(fresh.measure(.peakPower, at: F.monday + 60) == 3600)
        #expect(fresh.measure(.peakPower, at: F.sunday + 8 * F.hour) == fresh.measure(.dayPeakPower, at: F.sunday + 8 * F.hour))
        #expect(model.measure(.peakPower, at: F.monday + 60) == 3612, "the recorded base stays the lifetime peak")
    }

    @Test func clockReadsLocalSecondsSince2000AndCanBeSet() throws {
        var rome = model
        rome.timeZone = try #require(TimeZone(identifier: "Europe/Rome"))
        let noonUTC = F.sunday + 12 * F.hour
        // 12:00 UTC is 14:00 in Rome in June (CEST, UTC+2).
        #expect(rome.inverterSeconds(at: noonUTC) == UInt32(noonUTC + 2 * F.hour - 946_684_800))
        let target: UInt32 = 570_988_492
        let offset = rome.clockOffset(settingTo: target, at: noonUTC)
        #expect(rome.inverterSeconds(at: noonUTC, clockOffset: offset) == target)
        #expect(rome.inverterSeconds(at: noonUTC + 60, clockOffset: offset) == target + 60)
    }

    @Test func localMidnightFollowsTheTimeZone() throws {
        var rome = model
        rome.timeZone = try #require(TimeZone(identifier: "Europe/Rome"))
        // Midnight in Rome is 22:00 UTC the evening before.
        let romeMidnight = F.monday - 2 * F.hour
        #expect(rome.energy(.day, at: romeMidnight - 1) == 25_200)
        #expect(rome.energy(.day, at: romeMidnight) == 0)
        #expect(rome.phase(at: F.sunday + 11 * F.hour) == .running, "13:00 in Rome")
    }

    @Test func identityRepliesCarryTheConfiguredText() throws {
        let time = F.sunday + 13 * F.hour
        #expect(try #require(model.reply(to: Request(address: 2, command: .partNumber), at: time)).fullText == "-3G79-")
        #expect(try #require(model.reply(to: Request(address: 2, command: .serialNumber), at: time)).fullText == "240002")
        #expect(VersionInfo(reply: try #require(model.reply(to: Request(address: 2, command: .version), at: time))).model == "PVI-3.6-OUTD")
        #expect(FirmwareRelease(reply: try #require(model.reply(to: Request(address: 2, command: .firmware), at: time))).description == "C.0.1.6")
        let date = ManufactureDate(reply: try #require(model.reply(to: Request(address: 2, command: .manufacturingDate), at: time)))
        #expect(date.week == 46 && date.year == 2012)
        let alarms = AlarmHistory(reply: try #require(model.reply(to: Request(address: 2, command: .lastAlarms), at: time)))
        #expect(alarms.alarms.map(\.code) == [3, 1, 3, 1])
    }

    @Test func rejectsInvalidModels() {
        var model = self.model
        model.address = 0
        #expect(throws: SimulatorError.self) { try model.validate() }
        model.address = 2
        model.identity.partNumber = "TOO-LONG"
        #expect(throws: SimulatorError.self) { try model.validate() }
    }
}

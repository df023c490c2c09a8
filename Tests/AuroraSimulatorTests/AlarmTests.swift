import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// Scheduled alarms: the state reply, production and counters while one is in force, and the
/// last four alarms of command 86.
@Suite("Simulated alarms")
struct AlarmTests {
    typealias F = Fixtures
    /// 12:00 UTC on the test Sunday: running, an hour before solar noon.
    static let noonish = Fixtures.sunday + 12 * Fixtures.hour

    private func model(_ alarms: [ScheduledAlarm], alwaysAwake: Bool = false) -> InverterModel {
        var model = F.model(alwaysAwake: alwaysAwake)
        model.alarms = alarms
        return model
    }

    private func status(_ model: InverterModel, at time: Double) throws -> InverterStatus {
        InverterStatus(reply: try #require(model.reply(to: .state(address: 2), at: time)))
    }

    private func lastAlarms(_ model: InverterModel, at time: Double) throws -> [UInt8] {
        Array(try #require(model.reply(to: Request(address: 2, command: .lastAlarms), at: time)).payload[2...5])
    }

    private func counters(_ model: InverterModel, at time: Double) -> [UInt32] {
        EnergyPeriod.allCases.map { model.energy($0, at: time) }
    }

    @Test func aGridFaultShowsInTheStateReplyWhileItLastsThenTheRunStatesReturn() throws {
        let model = model([ScheduledAlarm(code: 13, raisedAt: Self.noonish, duration: 30)])
        let running = InverterPhase.running.status
        #expect(try status(model, at: Self.noonish - 0.5) == running)
        for time in [Self.noonish, Self.noonish + 15, Self.noonish + 29.9] {
            let during = try status(model, at: time)
            #expect(during.alarm.code == 13 && during.alarm.text == "Grid fail")
            #expect(during.global.description == "Checking grid" && during.inverter.description == "Grid fail")
            #expect(during.dcdc1.code == 0 && during.dcdc2.code == 0)
        }
        #expect(try status(model, at: Self.noonish + 30) == running)
        #expect(model.activeAlarm(at: Self.noonish + 30) == nil)
    }

    @Test(arguments: [
        (13, 2, 46), (32, 2, 10), (35, 2, 46), (62, 2, 46), (1, 1, 0), (18, 9, 0), (23, 9, 0), (38, 9, 0),
        (19, 10, 0), (8, 33, 11), (48, 24, 0), (50, 25, 0), (56, 32, 0), (57, 35, 0), (61, 38, 0),
        (7, 8, 3), (25, 8, 17), (55, 8, 42), (47, 8, 0), (200, 8, 0),
    ] as [(UInt8, UInt8, UInt8)])
    func eachAlarmHasItsDocumentedGlobalAndInverterState(code: UInt8, global: UInt8, inverter: UInt8) throws {
        let status = ScheduledAlarm.status(forAlarm: code)
        #expect(status.global.code == global && status.inverter.code == inverter && status.alarm.code == code)
        let model = model([ScheduledAlarm(code: code, raisedAt: Self.noonish)])
        #expect(try self.status(model, at: Self.noonish + 1) == status)
    }

    @Test func everyReplyCarriesTheAlarmsGlobalState() throws {
        let model = model([ScheduledAlarm(code: 19, raisedAt: Self.noonish, duration: 60)])
        let requests: [Request] = [
            Request(address: 2, command: .version), Request(address: 2, command: .firmware),
            Request(address: 2, command: .manufacturingDate), Request(address: 2, command: .lastAlarms),
            Request(address: 2, command: .readTime), .measure(.gridPower, address: 2), .energy(.day, address: 2),
        ]
        for request in requests {
            #expect(model.reply(to: request, at: Self.noonish + 1)?.globalState.code == 10, "\(request.command): OTH fault")
            #expect(model.reply(to: request, at: Self.noonish + 60)?.globalState.code == 6, "\(request.command): Run")
        }
        #expect(model.replyToUnknownCommand(address: 2, at: Self.noonish + 1)?.globalState.code == 10)
    }

    @Test func noPowerFlowsAndTheCountersStandStillDuringAnAlarm() throws {
        let model = model([ScheduledAlarm(code: 13, raisedAt: Self.noonish, duration: 1800)])
        let atRaise = counters(model, at: Self.noonish)
        for time in [Self.noonish + 1, Self.noonish + 900, Self.noonish + 1799.5] {
            let measures = try #require(model.snapshot(at: time)).measures
            for type: MeasureType in [.gridPower, .gridCurrent, .string1Power, .string2Power, .string1Current, .string2Current] {
                #expect(measures[type] == 0, "\(type)")
            }
            #expect((225...236).contains(try #require(measures[.gridVoltage])), "the grid voltage stays")
            #expect(measures[.string1Voltage] == 385, "open-circuit voltage")
            #expect(counters(model, at: time) == atRaise)
        }
        let after = Self.noonish + 1800 + 60
        #expect(try #require(model.measure(.gridPower, at: after)) > 3000)
        #expect(model.energy(.day, at: after) > atRaise[0])
    }

    @Test func theCountersKeepTheLostEnergyUntilTheirPeriodRollsOver() {
        let plain = F.model()
        let model = model([ScheduledAlarm(code: 13, raisedAt: Self.noonish, duration: 1800)])
        let lost = plain.day.energy(until: 12.5 * F.hour) - plain.day.energy(until: 12 * F.hour)
        func expectLoss(_ period: EnergyPeriod, at time: Double, _ loss: Double) {
            let difference = Double(plain.energy(period, at: time)) - Double(model.energy(period, at: time))
            #expect(abs(difference - loss) <= 1, "\(period) at \(time): \(difference) Wh less, expected \(loss)")
        }
        let evening = F.sunday + 21 * F.hour
        for period in EnergyPeriod.allCases { expectLoss(period, at: evening, lost) }
        // Monday: a new day and a new week; month, year, total and partial still miss Sunday's half hour.
        let monday = F.monday + 13 * F.hour
        for period: EnergyPeriod in [.day, .week] { expectLoss(period, at: monday, 0) }
        for period: EnergyPeriod in [.month, .year, .total, .partial] { expectLoss(period, at: monday, lost) }
    }

    @Test func todaysPeakLeavesOutAnAlarmOverSolarNoon() throws {
        let model = model([ScheduledAlarm(code: 13, raisedAt: Self.noonish, duration: 2.5 * F.hour)])
        let beforeNoon = model.day.power(at: 12 * F.hour)
        #expect(beforeNoon < 3600)
        #expect(model.measure(.dayPeakPower, at: Self.noonish + 1.5 * F.hour) == beforeNoon, "in the alarm")
        #expect(model.measure(.dayPeakPower, at: Self.noonish + 2.75 * F.hour) == beforeNoon, "after it, lower than before")
        #expect(model.measure(.dayPeakPower, at: F.monday + 14 * F.hour) == 3600, "the next day peaks at noon again")
    }

    @Test func lastAlarmsShiftInOldestFirstAndDropTheOldest() throws {
        // Scheduled out of order: the FIFO follows the times they are raised.
        let codes: [UInt8] = [13, 19, 18, 32, 50]
        let alarms = codes.enumerated().map { index, code in
            ScheduledAlarm(code: code, raisedAt: Self.noonish + Double(index) * 600, duration: 60)
        }
        let model = model(alarms.reversed())
        #expect(try lastAlarms(model, at: Self.noonish - 1) == [3, 1, 3, 1], "the identity's FIFO before the first")
        #expect(try lastAlarms(model, at: Self.noonish) == [1, 3, 1, 13], "one")
        #expect(try lastAlarms(model, at: Self.noonish + 600) == [3, 1, 13, 19], "two")
        #expect(try lastAlarms(model, at: Self.noonish + 2400 + 61) == [19, 18, 32, 50], "five: 13 dropped")
        #expect(try #require(model.snapshot(at: Self.noonish + 700)).lastAlarms == [3, 1, 13, 19])
    }

    @Test func overlappingAlarmsShowTheMostRecentOneInForce() throws {
        let model = model([
            ScheduledAlarm(code: 13, raisedAt: Self.noonish, duration: 600),
            ScheduledAlarm(code: 19, raisedAt: Self.noonish + 300, duration: 120),
        ])
        #expect(try status(model, at: Self.noonish + 200).alarm.code == 13)
        #expect(try status(model, at: Self.noonish + 360).global.code == 10, "19 came later: OTH fault")
        #expect(try status(model, at: Self.noonish + 420).global.code == 2, "19 cleared, 13 still in force")
        #expect(try status(model, at: Self.noonish + 600).global.code == 6)
        #expect(counters(model, at: Self.noonish + 599) == counters(model, at: Self.noonish))
        #expect(model.measure(.gridPower, at: Self.noonish + 599) == 0)
        #expect(try lastAlarms(model, at: Self.noonish + 600) == [3, 1, 13, 19])
    }

    @Test func alarmsRaisedAtTheSameInstantFollowTheirListOrder() throws {
        let model = model([ScheduledAlarm(code: 35, raisedAt: Self.noonish), ScheduledAlarm(code: 38, raisedAt: Self.noonish)])
        #expect(try status(model, at: Self.noonish).alarm.code == 38)
        #expect(try lastAlarms(model, at: Self.noonish) == [3, 1, 35, 38])
    }

    @Test func anAlarmThatNeverClearsStaysToTheEnd() throws {
        let model = model([ScheduledAlarm(code: 56, raisedAt: Self.noonish)], alwaysAwake: true)
        let atRaise = counters(model, at: Self.noonish)
        for time in [Self.noonish + 7 * F.hour, F.monday + 1, F.monday + 13 * F.hour, F.monday + 30 * F.day] {
            #expect(try status(model, at: time).global.description == "Fan stuck")
            #expect(model.measure(.gridPower, at: time) == 0)
        }
        #expect(counters(model, at: Self.noonish + 9 * F.hour) == atRaise)
        #expect(model.energy(.total, at: F.monday + 30 * F.day) == atRaise[EnergyPeriod.allCases.firstIndex(of: .total)!])
        #expect(try lastAlarms(model, at: F.monday + 30 * F.day) == [1, 3, 1, 56])
    }

    @Test func invalidAlarmsAreRefusedNamingTheProblem() throws {
        let (simulator, _) = try F.simulator()
        #expect(throws: SimulatorError.self) { try simulator.raiseAlarm(0) }
        #expect(throws: SimulatorError.self) { try simulator.raiseAlarm(13, for: -1) }
        #expect(throws: SimulatorError.self) { try simulator.raiseAlarm(13, address: 9) }
        #expect(throws: SimulatorError.self) {
            try simulator.updateModel(address: 2) { $0.alarms = [ScheduledAlarm(code: 13, raisedAt: .nan)] }
        }
        #expect(simulator.model(address: 2)?.alarms == [])
        let error = #expect(throws: SimulatorError.self) { try simulator.raiseAlarm(0) }
        #expect(error?.description.contains("1–255") == true)
    }

    @Test func raiseAndClearNowFollowTheManualClockOnOneOrEveryInverter() throws {
        let (simulator, clock) = try F.simulator(addresses: [2, 3])
        func state(_ address: UInt8) throws -> InverterStatus {
            InverterStatus(reply: try #require(simulator.expectedReply(to: .state(address: address))))
        }
        try simulator.raiseAlarm(13, address: 3)
        #expect(try state(3).alarm.code == 13 && state(2).alarm.code == 0)
        clock.advance(by: 45)
        try simulator.clearAlarms(address: 3)
        #expect(try state(3).global.code == 6)
        #expect(simulator.snapshot(address: 3)?.lastAlarms == [1, 3, 1, 13])
        #expect(simulator.model(address: 3)?.alarms == [ScheduledAlarm(code: 13, raisedAt: F.sunday + 13 * F.hour, duration: 45)])

        try simulator.raiseAlarm(19, for: 10)
        #expect(try state(2).global.code == 10 && state(3).global.code == 10)
        clock.advance(by: 10)
        #expect(try state(2).global.code == 6 && state(3).global.code == 6)
        #expect(simulator.snapshot(address: 2)?.lastAlarms == [1, 3, 1, 19])
    }

    @Test func aModelThatClearsItsLastAlarmsOnReadEmptiesThemWhenRead() throws {
        let (simulator, clock) = try F.simulator(addresses: [2, 3])
        try simulator.updateModel(address: 3) { $0.clearsLastAlarmsOnRead = true }
        func read(_ address: UInt8) throws -> [UInt8] {
            Array(try #require(simulator.respond(to: Request(address: address, command: .lastAlarms).bytes)).bytes[2...5])
        }
        try simulator.raiseAlarm(13, for: 5)
        #expect(try read(3) == [1, 3, 1, 13])
        #expect(try read(3) == [0, 0, 0, 0], "the read emptied the FIFO")
        clock.advance(by: 60)
        try simulator.raiseAlarm(19, for: 5)
        #expect(try read(3) == [0, 0, 0, 19])
        #expect(try read(2) == [3, 1, 13, 19])
        #expect(try read(2) == [3, 1, 13, 19], "by default reading leaves the FIFO alone")
    }

    @Test func theStateAndTheLastAlarmsOverAPseudoTerminal() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let link = try #require(bus.linkPath)
            let port = try RawPort.openSerial(link)
            defer { port.close() }
            func read() async throws -> (state: [UInt8], alarms: [UInt8]) {
                try await Blocking.run {
                    (try port.exchange(.state(address: 2)), try port.exchange(Request(address: 2, command: .lastAlarms)))
                }
            }
            try bus.simulator.raiseAlarm(13, for: 30)
            bus.clock.advance(by: 10)
            let during = try await read()
            #expect(CRC16.isValid(frame: during.state) && CRC16.isValid(frame: during.alarms))
            #expect(Array(during.state[0...5]) == [0, 2, 46, 0, 0, 13], "Checking grid, Grid fail, alarm 13")
            #expect(Array(during.alarms[0...5]) == [0, 2, 1, 3, 1, 13])
            bus.clock.advance(by: 20)
            let after = try await read()
            #expect(Array(after.state[0...5]) == [0, 6, 2, 2, 2, 0], "Run again")
            #expect(Array(after.alarms[1...5]) == [6, 1, 3, 1, 13], "the FIFO keeps it")
        }
    }
}

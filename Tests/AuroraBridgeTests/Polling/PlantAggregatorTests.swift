import AuroraBridge
import AuroraProtocol
import Foundation
import Testing

@Suite struct PlantAggregatorTests {
    /// 2026-06-20 23:59:00 UTC.
    let evening: Int64 = 1_781_999_940

    private func plant() -> PlantAggregator {
        var plant = PlantAggregator(name: "plant", inverters: ["east", "west"], calendar: CounterCalendar(timeZone: .gmt))
        _ = plant.handle(.availability(inverter: "east", .online))
        _ = plant.handle(.availability(inverter: "west", .online))
        return plant
    }

    private func packet(_ inverter: String, at time: Int64, _ fields: [String: FieldValue]) -> PollerEvent {
        var fields = fields
        fields["inverterDateTime"] = .integer(time)
        return .packet(LoopPacket(inverter: inverter, dateTime: time, fields: fields.sorted { $0.key < $1.key }.map { LoopField(name: $0.key, value: $0.value) }))
    }

    /// The plant's packets among `events`.
    private func packets(_ events: [PollerEvent]) -> [LoopPacket] {
        events.compactMap { if case .packet(let packet) = $0, packet.inverter == "plant" { packet } else { nil } }
    }

    /// The plant's events among `events`.
    private func plantEvents(_ events: [PollerEvent]) -> [PollerEvent] {
        events.filter {
            switch $0 {
            case .packet(let packet): packet.inverter == "plant"
            case .availability(let inverter, _): inverter == "plant"
            default: false
            }
        }
    }

    @Test func aRoundSumsThePowersOfEveryInverterThatAnswered() throws {
        var plant = plant()
        #expect(packets(plant.handle(packet("east", at: evening, ["gridPower": .float(100), "string1Power": .float(40), "string2Power": .float(70), "energy": .integer(3)]))).isEmpty)
        let events = plant.handle(packet("west", at: evening + 1, ["gridPower": .float(250.5), "string1Power": .float(260), "energy": .integer(4)]))
        let sum = try #require(packets(events).first)
        #expect(events.count == 2, "west's packet, then the plant's")
        #expect(sum.inverter == "plant")
        #expect(sum.dateTime == evening + 1)
        #expect(sum["gridPower"] == .float(350.5))
        #expect(sum["dcPower"] == .float(370))
        #expect(sum["energy"] == .integer(7))
        #expect(sum["inverters"] == .integer(2))
        #expect(sum.fields.map(\.name) == ["gridPower", "dcPower", "energy", "inverters"])
    }

    @Test func anInverterThatAnswersAgainReplacesItsPacketAndItsEnergyAddsUp() throws {
        var plant = plant()
        _ = plant.handle(packet("east", at: evening, ["gridPower": .float(100), "energy": .integer(2)]))
        let again = plant.handle(packet("east", at: evening + 2, ["gridPower": .float(110), "energy": .integer(3)]))
        #expect(packets(again).isEmpty, "west is online and has not reported: no half round")
        let events = plant.handle(packet("west", at: evening + 3, ["gridPower": .float(5), "energy": .integer(1)]))
        let sum = try #require(packets(events).first)
        #expect(sum["gridPower"] == .float(115), "east's latest packet, never its older one")
        #expect(sum["energy"] == .integer(6), "every packet's energy of the round")
        #expect(sum["inverters"] == .integer(2))
        #expect(sum.dateTime == evening + 3)
    }

    @Test func atStartThePlantWaitsUntilEveryInverterWasPolledOnce() throws {
        var plant = PlantAggregator(name: "plant", inverters: ["east", "west"], calendar: CounterCalendar(timeZone: .gmt))
        _ = plant.handle(.availability(inverter: "east", .online))
        #expect(packets(plant.handle(packet("east", at: evening, ["gridPower": .float(100)]))).isEmpty, "west not polled yet")
        _ = plant.handle(.availability(inverter: "west", .online))
        let first = try #require(packets(plant.handle(packet("west", at: evening + 1, ["gridPower": .float(200)]))).first)
        #expect(first["gridPower"] == .float(300) && first["inverters"] == .integer(2))
    }

    @Test func anInverterAsleepAtStartIsLeftOutOfTheFirstRound() throws {
        var plant = PlantAggregator(name: "plant", inverters: ["east", "west"], calendar: CounterCalendar(timeZone: .gmt))
        _ = plant.handle(.availability(inverter: "east", .online))
        _ = plant.handle(packet("east", at: evening, ["gridPower": .float(100)]))
        let events = plant.handle(.availability(inverter: "west", .asleep))
        #expect(packets(events).first?["inverters"] == .integer(1), "once west is known asleep, east alone is the round")
    }

    @Test func neverTwoPacketsWithOneDateTime() throws {
        var plant = plant()
        _ = plant.handle(packet("east", at: evening, ["gridPower": .float(100)]))
        #expect(packets(plant.handle(packet("west", at: evening, ["gridPower": .float(200)]))).first?.dateTime == evening)
        // Sub-second polls: the next round starts in the same second.
        _ = plant.handle(packet("east", at: evening, ["gridPower": .float(101)]))
        #expect(packets(plant.handle(packet("west", at: evening, ["gridPower": .float(201)]))).isEmpty, "held: same dateTime")
        let later = try #require(packets(plant.handle(packet("east", at: evening + 1, ["gridPower": .float(102)]))).first)
        #expect(later.dateTime == evening + 1 && later["gridPower"] == .float(303))
    }

    @Test func anInverterThatFallsAsleepLeavesTheRoundsAndThePlantStaysOnline() throws {
        var plant = plant()
        _ = plant.handle(packet("east", at: evening, ["gridPower": .float(100)]))
        let events = plant.handle(.availability(inverter: "west", .asleep))
        #expect(packets(events).first?["inverters"] == .integer(1), "the round closes without the sleeper")
        #expect(plantEvents(events).count == 1, "the plant is still online: no availability change")
        let alone = packets(plant.handle(packet("east", at: evening + 2, ["gridPower": .float(90)])))
        #expect(alone.first?["gridPower"] == .float(90))
        let unreachable = plant.handle(.availability(inverter: "east", .unreachable))
        guard case .availability("plant", .unreachable) = try #require(unreachable.last) else {
            Issue.record("expected the plant unreachable, got \(unreachable)")
            return
        }
        let asleep = plant.handle(.availability(inverter: "east", .asleep))
        guard case .availability("plant", .asleep) = try #require(asleep.last) else {
            Issue.record("expected the plant asleep, got \(asleep)")
            return
        }
        #expect(plantEvents(plant.handle(.availability(inverter: "west", .asleep))).isEmpty, "no change, nothing published")
    }

    @Test func countersArePublishedOnlyOnceEveryInverterHasReportedOne() throws {
        var plant = plant()
        _ = plant.handle(packet("east", at: evening, ["totalEnergy": .integer(1000), "dayEnergy": .integer(50)]))
        let first = try #require(packets(plant.handle(packet("west", at: evening, ["gridPower": .float(1)]))).first)
        #expect(first["totalEnergy"] == nil, "west has reported no counter yet")
        _ = plant.handle(packet("east", at: evening + 10, ["gridPower": .float(1)]))
        let second = try #require(packets(plant.handle(packet("west", at: evening + 10, ["totalEnergy": .integer(2000)]))).first)
        #expect(second["totalEnergy"] == .integer(3000), "east's last guarded value counts")
        #expect(second["dayEnergy"] == nil, "west has not reported its day counter")
    }

    @Test func theSummedTotalNeverGoesDown() throws {
        var plant = plant()
        _ = plant.handle(packet("east", at: evening, ["totalEnergy": .integer(1000)]))
        #expect(packets(plant.handle(packet("west", at: evening, ["totalEnergy": .integer(2000)]))).first?["totalEnergy"] == .integer(3000))
        // West was replaced: its counters start lower.
        _ = plant.handle(packet("east", at: evening + 10, ["totalEnergy": .integer(1001)]))
        let lower = try #require(packets(plant.handle(packet("west", at: evening + 10, ["totalEnergy": .integer(500)]))).first)
        #expect(lower["totalEnergy"] == nil, "left out rather than published lower")
        _ = plant.handle(packet("east", at: evening + 20, ["totalEnergy": .integer(2600)]))
        let above = try #require(packets(plant.handle(packet("west", at: evening + 20, ["totalEnergy": .integer(500)]))).first)
        #expect(above["totalEnergy"] == .integer(3100), "published again once above the last published sum")
    }

    @Test func theDaySumResetsOnlyOnceEveryInverterIsInTheNewDay() throws {
        var plant = plant()
        _ = plant.handle(packet("east", at: evening, ["dayEnergy": .integer(5000)]))
        #expect(packets(plant.handle(packet("west", at: evening + 5, ["dayEnergy": .integer(4000)]))).first?["dayEnergy"] == .integer(9000))
        // East is past midnight, west's clock is not yet.
        _ = plant.handle(packet("east", at: evening + 65, ["dayEnergy": .integer(10)]))
        let mixed = try #require(packets(plant.handle(packet("west", at: evening + 59, ["dayEnergy": .integer(4010)]))).first)
        #expect(mixed["dayEnergy"] == nil, "a sum of two days never goes out")
        _ = plant.handle(packet("east", at: evening + 75, ["dayEnergy": .integer(20)]))
        let reset = try #require(packets(plant.handle(packet("west", at: evening + 80, ["dayEnergy": .integer(5)]))).first)
        #expect(reset["dayEnergy"] == .integer(25))
    }

    @Test func packetsOfOtherNamesAreIgnored() {
        var plant = plant()
        #expect(plant.handle(packet("plant", at: evening, ["gridPower": .float(1)])).count == 1, "passed on, nothing added")
        #expect(plant.handle(.availability(inverter: "garage", .asleep)).count == 1)
    }
}

import AuroraProtocol
import AuroraTestSupport
import Testing

@testable import AuroraBridge

/// Where the poller's events go in the running bridge, against an in-memory output and a real
/// archive store.
@Suite struct BridgeSinkTests {
    private let time: Int64 = 1_782_000_030

    private func sink(_ fixture: ServiceFixture, archive: ArchiveDelivery, progressed: Locked<Int>) -> BridgeSink {
        BridgeSink(configuration: fixture.configuration, publisher: fixture.publisher, archive: archive, counters: fixture.counters) {
            progressed.withLock { $0 += 1 }
        }
    }

    @Test func aPacketWithoutItsExcludedFieldsIsPublishedAndArchived() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try ServiceFixture("[fields]\nexclude = [\"leakCurrent\"]\n")
            let (archive, store, _) = try await fixture.archive(in: folder)
            let sink = sink(fixture, archive: archive, progressed: Locked(0))
            await sink.handle(.packet(LoopPacket(inverter: "inverter", dateTime: time, fields: [
                LoopField(name: "gridPower", value: .float(100)), LoopField(name: "leakCurrent", value: .float(0.1)),
            ])))
            #expect(fixture.messages(on: "aurora/inverter/loop/gridPower").map(\.text) == ["100.0"])
            #expect(fixture.messages(on: "aurora/inverter/loop/leakCurrent").isEmpty)
            #expect(fixture.messages(on: "aurora/inverter/loop").first?.text.contains("leakCurrent") == false)
            await archive.close(through: time + 60)
            try await Deadline.until("the archive record", timeout: .seconds(60)) { try await store.records().count == 1 }
            let record = try #require(try await store.records().first)
            #expect(record.count == 1)
            #expect(record["gridPower"] != nil)
            #expect(record["leakCurrent"] == nil)
        }
    }

    @Test func availabilityAndStatusArePublishedRetained() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try ServiceFixture()
            let (archive, _, _) = try await fixture.archive(in: folder)
            let sink = sink(fixture, archive: archive, progressed: Locked(0))
            await sink.handle(.availability(inverter: "inverter", .asleep))
            await sink.handle(.status(inverter: "inverter", InverterStatus(
                global: GlobalState(code: 6), inverter: InverterState(code: 2), dcdc1: DCDCState(code: 2),
                dcdc2: DCDCState(code: 2), alarm: Alarm(code: 0))))
            #expect(fixture.messages(on: "aurora/inverter/availability").map(\.text) == ["asleep"])
            #expect(fixture.messages(on: "aurora/inverter/availability").first?.retain == true)
            #expect(fixture.messages(on: "aurora/inverter/state").count == 1)
        }
    }

    @Test func finishedPollsAreCountedAndShowProgress() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try ServiceFixture()
            let (archive, _, _) = try await fixture.archive(in: folder)
            let progressed = Locked(0)
            let sink = sink(fixture, archive: archive, progressed: progressed)
            await sink.handle(.pollFinished(inverter: "inverter", succeeded: true, duration: 0.25))
            await sink.handle(.pollFinished(inverter: "inverter", succeeded: false, duration: 2))
            await sink.handle(.pollFinished(inverter: "inverter", succeeded: true, duration: 0.5))
            let counters = fixture.counters.value
            #expect(counters.pollsOK == 2)
            #expect(counters.pollsFailed == 1)
            #expect(counters.lastPollDuration == 0.5, "the last successful poll's")
            #expect(progressed.value == 3)
        }
    }

    @Test func leftOutReadingsAreCountedAsImplausibleOrNotFinite() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try ServiceFixture()
            let (archive, _, _) = try await fixture.archive(in: folder)
            let sink = sink(fixture, archive: archive, progressed: Locked(0))
            await sink.handle(.leftOut(inverter: "inverter", [
                LeftOutReading(field: "totalEnergy", value: "0", reason: .wentDown),
                LeftOutReading(field: "gridPower", value: "nan", reason: .notFinite),
                LeftOutReading(field: "gridVoltage", value: "inf", reason: .notFinite),
            ]))
            #expect(fixture.counters.value.implausibleReadings == 1)
            #expect(fixture.counters.value.nonFiniteReadings == 2)
            #expect(fixture.output.messages.isEmpty)
        }
    }
}

/// The plant's sink: passes the poller's events on and adds the plant's.
@Suite struct PlantSinkTests {
    /// A sink that keeps what it is handed.
    private final class Recorder: PollerSink {
        let events = Locked<[PollerEvent]>([])
        func handle(_ event: PollerEvent) async { events.withLock { $0.append(event) } }
        var inverters: [String] {
            events.value.compactMap { if case .packet(let packet) = $0 { packet.inverter } else { nil } }
        }
    }

    private func packet(_ inverter: String, at time: Int64, power: Float) -> PollerEvent {
        .packet(LoopPacket(inverter: inverter, dateTime: time, fields: [LoopField(name: "gridPower", value: .float(power))]))
    }

    @Test func theInvertersEventsGoOnAndARoundAddsThePlantsPacket() async throws {
        let recorder = Recorder()
        let sink = PlantSink(base: recorder, plant: Locked(PlantAggregator(name: "plant", inverters: ["east", "west"])))
        await sink.handle(.availability(inverter: "east", .online))
        await sink.handle(.availability(inverter: "west", .online))
        await sink.handle(packet("east", at: 1_782_000_000, power: 100))
        #expect(recorder.inverters == ["east"], "half a round: no plant packet")
        await sink.handle(packet("west", at: 1_782_000_001, power: 50))
        #expect(recorder.inverters == ["east", "west", "plant"])
        let plant = try #require(recorder.events.value.compactMap { if case .packet(let p) = $0, p.inverter == "plant" { p } else { nil } }.first)
        #expect(plant["gridPower"] == .float(150))
        #expect(recorder.events.value.contains {
            if case .availability("plant", .online) = $0 { true } else { false }
        })
    }
}

import AuroraBridge
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// "Never a wrong number": the bridge in this process, a real mosquitto, the simulator on a
/// pseudo-terminal with counter glitches (0 with a valid CRC), a NaN measure and wall-clock
/// steps, on a fast clock.
@Suite struct CounterReliabilityTests {
    /// 2026-06-21 00:00 UTC.
    static let midnight: Double = 1_782_000_000
    /// 10:00 UTC, in the middle of the simulated day (06:00–20:00).
    static let morning = midnight + 10 * 3600

    /// A bus with one simulator per test, served on a pseudo-terminal; the simulator follows
    /// `clock` (which never steps).
    static func bus(
        _ directory: TemporaryDirectory, addresses: [UInt8] = [2], clock: any WallClock, faults: FaultSettings
    ) throws -> (Simulator, PseudoTerminalServer) {
        let simulator = try Simulator(
            inverters: addresses.map { InverterModel(address: $0, timeZone: .current, energyOrigin: Self.midnight) },
            clock: FollowingClock(wall: clock), faults: faults)
        return (simulator, try PseudoTerminalServer(simulator: simulator, linkPath: directory.file("ttyAurora")))
    }

    /// One inverter `roof` at address 2 polled every 30 s, on the bus in `directory`, archived
    /// every 300 s, with stats every 600 s.
    static func roof(_ directory: TemporaryDirectory, broker: TestBroker) -> TestBridgeConfiguration {
        var configuration = TestBridgeConfiguration(
            brokerPort: Int(broker.port), busPort: directory.file("ttyAurora"),
            inverters: [.init(name: "roof", address: 2, pollInterval: 30)], database: directory.file("archive.sqlite"))
        configuration.archiveInterval = 300
        configuration.statsInterval = 600
        return configuration
    }

    /// The values published on `aurora/<inverter>/loop/<field>`, in order (live, not retained).
    static func values(_ subscriber: TestSubscriber, _ field: String, inverter: String = "roof") -> [String] {
        subscriber.messages(on: "aurora/\(inverter)/loop/\(field)").filter { !$0.retain }.map(\.text)
    }

    /// The latest stats payload's integer `key`, or nil.
    static func stat(_ subscriber: TestSubscriber, _ key: String) throws -> Int64? {
        guard let last = subscriber.messages(on: "aurora/bridge/stats").last else { return nil }
        return try FlatJSON(last.text).integer(key)
    }

    static let counters = EnergyPeriod.allCases.map(\.fieldName)

    /// Checks that no published counter went down and that `energy` sums to the day counter's rise.
    static func expectTrustworthyCounters(_ subscriber: TestSubscriber, minimumPackets: Int) throws {
        for field in counters {
            let published = values(subscriber, field).map { Int64($0)! }
            #expect(published.count >= minimumPackets, "\(field): \(published.count) values")
            let drops = zip(published, published.dropFirst()).filter { $1 < $0 }
            #expect(drops.isEmpty, "\(field) went down: \(drops)")
        }
        let day = values(subscriber, "dayEnergy").map { Int64($0)! }
        let energy = values(subscriber, "energy").map { Int64($0)! }
        let rise = try #require(day.last) - (try #require(day.first))
        #expect(rise > 1_000 && energy.reduce(0, +) == rise, "energy \(energy.reduce(0, +)) Wh, day counter rose \(rise) Wh")
        #expect(energy.allSatisfy { $0 >= 0 })
    }

    @Test func glitchingCountersNeverGoDownEnergyAddsUpAndNaNIsNeverPublished() async throws {
        let clock = ScaledWallClock(start: Self.morning, scale: 100)
        let directory = try TemporaryDirectory("glitch")
        var faults = FaultSettings(seed: 9)
        faults.glitchRate = 0.05
        faults.nanMeasure = MeasureType.gridVoltage.rawValue
        let (_, server) = try Self.bus(directory, clock: clock, faults: faults)
        defer { server.stop() }
        let broker = try await TestBroker.start()
        let configuration = Self.roof(directory, broker: broker)
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#", qos: .atLeastOnce)

        try await withBridge(try parse(configuration), clock: clock) {
            // 100 polls at a 5 % glitch rate on 6 counters: about 30 glitches.
            try await Deadline.until("100 loop packets", timeout: .seconds(90)) {
                Self.values(subscriber, "gridPower").count >= 100
            }
            try await Deadline.until("stats after the glitches", timeout: .seconds(30)) {
                (try Self.stat(subscriber, "implausibleReadings") ?? 0) >= 10
            }
        }

        try Self.expectTrustworthyCounters(subscriber, minimumPackets: 60)
        #expect(try Self.stat(subscriber, "nonFiniteReadings") ?? 0 >= 20, "every poll's NaN counted")
        let nonNumbers = subscriber.messages.filter { message in
            let text = message.text.lowercased()
            return ["nan", "-nan", "inf", "-inf", "null"].contains(text)
                || (message.topic.contains("/loop") || message.topic.contains("/archive"))
                    && (text.contains("nan") || text.contains("null") || text.contains(":inf") || text.contains(":-inf"))
        }
        #expect(nonNumbers.isEmpty, "not a number published: \(nonNumbers.prefix(3))")
        #expect(Self.values(subscriber, "gridVoltage").isEmpty)
        let loops = try ArchiveBench.livePackets(subscriber)
        #expect(loops.allSatisfy { $0["gridVoltage"] == nil && $0["gridPower"] != nil })
        let records = try ArchiveBench.liveRecords(subscriber)
        #expect(records.count >= 5)
        #expect(records.allSatisfy { record in !record.keys.contains { $0.hasPrefix("gridVoltage") } })
        let archivedEnergy = records.compactMap { $0.integer("energy") }.reduce(0, +)
        #expect(archivedEnergy <= Self.values(subscriber, "energy").map { Int64($0)! }.reduce(0, +))
    }

    @Test func aBridgeRestartInTheMiddleOfTheDayKeepsTheDaysEnergy() async throws {
        let clock = ScaledWallClock(start: Self.morning, scale: 100)
        let directory = try TemporaryDirectory("restart-day")
        var faults = FaultSettings(seed: 4)
        faults.glitchRate = 0.02
        let (_, server) = try Self.bus(directory, clock: clock, faults: faults)
        defer { server.stop() }
        let broker = try await TestBroker.start()
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#", qos: .atLeastOnce)
        let parsed = try parse(Self.roof(directory, broker: broker))

        try await withBridge(parsed, clock: clock) {
            try await Deadline.until("30 loop packets", timeout: .seconds(60)) { Self.values(subscriber, "gridPower").count >= 30 }
        }
        let firstRun = Self.values(subscriber, "gridPower").count
        // Down for about ten simulated minutes, producing all the while.
        let down = clock.now()
        try await Deadline.until("ten minutes of downtime", timeout: .seconds(30)) { clock.now() >= down + 600 }
        try await withBridge(parsed, clock: clock) {
            try await Deadline.until("30 more loop packets", timeout: .seconds(60)) {
                Self.values(subscriber, "gridPower").count >= firstRun + 30
            }
        }

        try Self.expectTrustworthyCounters(subscriber, minimumPackets: 50)
        // The first energy after the restart covers what was produced while the bridge was down
        // (a packet whose day counter glitched has none; the next one covers it).
        let packets = try ArchiveBench.livePackets(subscriber)
        let resumed = try #require(packets.dropFirst(firstRun).first { $0.integer("energy") != nil })
        #expect(try #require(resumed.integer("energy")) > 100, "energy over the downtime: \(resumed)")
    }

    @Test func wallClockStepsBothWaysKeepEveryInverterPublishing() async throws {
        let clock = SteppableWallClock(start: Self.morning, scale: 5)
        let directory = try TemporaryDirectory("steps")
        let names = ["east", "south", "west"]
        let (_, server) = try Self.bus(directory, addresses: [2, 3, 4], clock: clock.monotonic, faults: .none)
        defer { server.stop() }
        let broker = try await TestBroker.start()
        var configuration = TestBridgeConfiguration(
            brokerPort: Int(broker.port), busPort: directory.file("ttyAurora"),
            inverters: zip(names, [2, 3, 4]).map { .init(name: $0, address: $1, pollInterval: 2) },
            database: directory.file("archive.sqlite"))
        configuration.archiveInterval = 60
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#", qos: .atLeastOnce)
        let packets = { names.map { Self.values(subscriber, "gridPower", inverter: $0).count } }
        let records = { try names.map { try ArchiveBench.liveRecordTimes(subscriber, inverter: $0) } }

        try await withBridge(try parse(configuration), clock: clock) {
            try await Deadline.until("every inverter publishing", timeout: .seconds(30)) { packets().allSatisfy { $0 >= 3 } }
            for step in [600.0, -600.0] {
                let before = packets()
                let recordsBefore = try records().map(\.count)
                let stepped = clock.monotonicNow()
                clock.step(by: step)
                if step > 0 {
                    // The open intervals ended with the step: closed at once, not a minute later.
                    try await Deadline.until("the open intervals closed", timeout: .seconds(30)) {
                        try records().map(\.count).elementsEqual(recordsBefore, by: >)
                    }
                    #expect(clock.monotonicNow() - stepped < 15, "closed \(clock.monotonicNow() - stepped) s after the step")
                }
                // Long enough for an archive interval (60 s) and its grace to pass.
                try await Deadline.until("75 s after a \(step) s step", timeout: .seconds(60)) {
                    clock.monotonicNow() >= stepped + 75
                }
                let after = packets()
                for (index, name) in names.enumerated() {
                    // 37 polls are due in 75 s; a loaded machine may lose some, none stops.
                    #expect(after[index] - before[index] >= 25, "\(name): \(after[index] - before[index]) packets after a \(step) s step")
                }
                // The archive went on: a record closed since the step (after a backward step, the
                // open interval on the monotonic clock).
                let recordsAfter = try records().map(\.count)
                #expect(recordsAfter.elementsEqual(recordsBefore, by: >), "records \(recordsBefore) → \(recordsAfter)")
            }
        }

        for (name, times) in zip(names, try records()) {
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 }, "\(name): record times \(times)")
        }
        for name in names {
            let stamps = try ArchiveBench.livePackets(subscriber, inverter: name).compactMap { $0.integer("dateTime") }
            #expect(stamps.count >= 50, "\(name): \(stamps.count) packets")
        }
    }
}

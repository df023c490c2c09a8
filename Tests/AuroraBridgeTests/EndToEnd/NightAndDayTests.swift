import AuroraBridge
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// A simulated evening, night and morning in seconds: the bridge and the simulator share one
/// fast clock.
@Suite struct NightAndDayTests {
    /// 2026-06-21 16:00 UTC; the simulated sun sets at 20:00 and rises at 06:00 (UTC). The
    /// afternoon leaves a loaded machine seconds to start the bridge before dusk.
    static let evening: Double = 1_782_057_600
    /// 2026-06-22 09:00 UTC.
    static let morning: Double = evening + 17 * 3600

    @Test func availabilityFollowsTheSunWithNoLoopMessagesAtNightAndEnergyAddsUp() async throws {
        let clock = ScaledWallClock(start: Self.evening, scale: 2000)
        let simulator = try Simulator(
            inverters: [InverterModel(address: 2, timeZone: .gmt, energyOrigin: Self.evening)],
            clock: FollowingClock(wall: clock))
        let directory = try TemporaryDirectory("night")
        let server = try PseudoTerminalServer(simulator: simulator, linkPath: directory.file("ttyAurora"))
        defer { server.stop() }
        let broker = try await TestBroker.start()
        var configuration = TestBridgeConfiguration(
            brokerPort: Int(broker.port), busPort: directory.file("ttyAurora"),
            inverters: [.init(name: "roof", address: 2, pollInterval: 60)], database: directory.file("archive.sqlite"))
        configuration.probeMax = 600
        configuration.archiveInterval = 3600
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/roof/#")

        try await withBridge(try parse(configuration), clock: clock) {
            try await Deadline.until("the next morning", timeout: .seconds(120)) { clock.now() >= Self.morning }
        }

        let messages = subscriber.messages
        // Retained status is sent on change and again on every (re)connect: count the changes.
        let availability = messages.filter { $0.topic == "aurora/roof/availability" }.map(\.text)
            .reduce(into: [String]()) { changes, value in if changes.last != value { changes.append(value) } }
        #expect(availability == ["online", "asleep", "online"])
        let asleepIndex = try #require(messages.firstIndex { $0.topic == "aurora/roof/availability" && $0.text == "asleep" })
        let wokeIndex = try #require(messages.lastIndex { $0.topic == "aurora/roof/availability" && $0.text == "online" })
        let night = messages[asleepIndex..<wokeIndex]
        #expect(!night.contains { $0.topic.hasPrefix("aurora/roof/loop") }, "no loop messages while asleep")

        // Loop packets in order: (dateTime, dayEnergy, energy).
        let packets = try messages.filter { $0.topic == "aurora/roof/loop" }.map { message in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(message.payload)) as? [String: Any])
            return (
                dateTime: (object["dateTime"] as! NSNumber).int64Value,
                day: (object["dayEnergy"] as! NSNumber).int64Value,
                energy: (object["energy"] as? NSNumber)?.int64Value)
        }
        #expect(packets.first?.energy == nil, "no energy on the first packet")
        #expect(packets.dropFirst().allSatisfy { $0.energy != nil && $0.energy! >= 0 }, "every later packet has energy, never negative")
        let midnight: Int64 = 1_782_086_400
        let evening = packets.filter { $0.dateTime < midnight }
        let nextDay = packets.filter { $0.dateTime >= midnight }
        // A full poll takes a few simulated minutes at this speed (more on a loaded machine):
        // two packets on each side of the night are enough to see the counter restart.
        #expect(evening.count >= 2 && nextDay.count >= 2, "\(evening.count) packets before midnight, \(nextDay.count) after")
        guard let eveningFirst = evening.first, let eveningLast = evening.last, let last = nextDay.last else { return }
        // The day counter rose by `evening rise` before dusk and restarted from 0 at midnight.
        let eveningRise = eveningLast.day - eveningFirst.day
        let morningRise = last.day
        #expect(eveningRise > 0 && morningRise > 0)
        let total = packets.compactMap(\.energy).reduce(0, +)
        #expect(total == eveningRise + morningRise)
        // The simulator's own counter agrees with the last published value, read during the poll
        // that started at its dateTime (the fast clock moves on while the poll runs).
        let model = try #require(simulator.model(address: 2))
        #expect(Int64(model.energy(.day, at: Double(last.dateTime))) <= last.day)
        #expect(last.day <= Int64(model.energy(.day, at: Double(last.dateTime) + 60)))
    }
}

import AuroraBridge
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// Commands over MQTT and the daily clock sync, with the bridge in this process, a real
/// mosquitto and the simulator.
@Suite struct CommandTests {
    static let setTime = "aurora/roof/command/set_time"
    static let read = "aurora/roof/command/read"
    static let result = "aurora/roof/command/result"

    @Test func withCommandsOffTheBridgeSubscribesToNoCommandTopic() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("commands-off")
        try await SimulatedBus.withPseudoTerminal { bus in
            let configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try parse(configuration)) {
                _ = try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(10))
                // The broker logs each subscription as "<client id> <qos> <filter>": the bridge's
                // one subscription (Home Assistant's status) shows the log is complete.
                try await Deadline.until("the bridge's subscription in the broker log", timeout: .seconds(10)) {
                    broker.log().contains("aurora-bridge-test 1 homeassistant/status")
                }
                #expect(!broker.log().contains("/command/"))
            }
        }
    }

    @Test func setTimeCorrectsAClockTenMinutesOffAndARetainedCommandIsIgnored() async throws {
        let clock = ScaledWallClock(start: SimulatedBus.defaultStart, scale: 1)
        let drifting = DriftingClock(wall: clock, start: clock.start, offset: -600, drift: 0)
        try await withSimulatedBus(clock: drifting) { simulator, busPort in
            let broker = try await TestBroker.start()
            let directory = try TemporaryDirectory("set-time")
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: busPort, database: directory.file("archive.sqlite"))
            configuration.extra = "[commands]\nenabled = true\n"
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            // Left in the broker's store (as a broker restart would replay it) before the bridge starts.
            _ = try subscriber.client.publish(topic: Self.setTime, text: "", qos: .atLeastOnce, retain: true)
            _ = try await subscriber.waitForMessage(topic: Self.setTime)
            func inverterClockError() -> Double { drifting.now + simulator.clockOffset(address: 2) - clock.now() }

            try await withBridge(try parse(configuration), clock: clock) {
                // Subscribed (in topic order: read, then set_time): the retained set_time came with it.
                try await Self.commandsSubscribed(on: broker)
                _ = try await subscriber.waitForMessage(topic: "aurora/roof/availability", timeout: .seconds(10)) { $0.text == "online" }
                // Commands are handled in order: once the live read is answered, the retained
                // set_time was seen, and it was ignored.
                _ = try subscriber.client.publish(topic: Self.read, text: "", qos: .atLeastOnce)
                let read = try await subscriber.waitForMessage(topic: Self.result, timeout: .seconds(10))
                let readJSON = try Self.json(read)
                #expect(readJSON["command"] as? String == "read" && readJSON["ok"] as? Bool == true, "\(read)")
                #expect(!subscriber.messages(on: Self.result).contains { $0.text.contains("set_time") })
                #expect(abs(inverterClockError() + 600) <= 2, "the retained set_time left the clock alone")

                _ = try subscriber.client.publish(topic: Self.setTime, text: "", qos: .atLeastOnce)
                let answer = try await subscriber.waitForMessage(topic: Self.result, timeout: .seconds(10)) { $0.text.contains("set_time") }
                #expect(!answer.retain)
                let json = try Self.json(answer)
                #expect(json["ok"] as? Bool == true, "\(answer)")
                let before = try #require(json["clockErrorBefore"] as? Int, "\(answer)")
                let after = try #require(json["clockErrorAfter"] as? Int, "\(answer)")
                #expect(abs(before + 600) <= 2, "\(answer)")
                #expect(abs(after) <= 2, "\(answer)")
                #expect(abs(inverterClockError()) <= 2)
            }
        }
    }

    @Test func aCommandForAnAsleepInverterIsRefusedAtOnce() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("asleep")
        let midnight: Double = 1_782_086_400  // the simulated sun is down
        try await SimulatedBus.withPseudoTerminal(start: midnight) { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.extra = "[commands]\nenabled = true\n"
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try parse(configuration)) {
                _ = try await subscriber.waitForMessage(topic: "aurora/roof/availability", timeout: .seconds(10)) { $0.text == "asleep" }
                try await Self.commandsSubscribed(on: broker)
                _ = try subscriber.client.publish(topic: Self.setTime, text: "", qos: .atLeastOnce)
                let answer = try await subscriber.waitForMessage(topic: Self.result, timeout: .seconds(10))
                let json = try Self.json(answer)
                #expect(json["ok"] as? Bool == false && (json["message"] as? String)?.contains("asleep") == true, "\(answer)")
                #expect(json["clockErrorBefore"] == nil)
            }
            #expect(bus.simulator.clockOffset(address: 2) == 0)
        }
    }

    /// At 2000 times real time a simulated day passes in 43 s. The inverter clock starts an hour
    /// behind and gains 5 % (72 minutes a day) on the bridge's.
    @Test func dailyClockSyncCorrectsADriftingClockOnceADay() async throws {
        let clock = ScaledWallClock(start: SimulatedBus.defaultStart, scale: 2000)
        let drifting = DriftingClock(wall: clock, start: clock.start, offset: -3600, drift: 0.05)
        try await withSimulatedBus(clock: drifting) { simulator, busPort in
            let broker = try await TestBroker.start()
            let directory = try TemporaryDirectory("clock-sync")
            var configuration = TestBridgeConfiguration(
                brokerPort: Int(broker.port), busPort: busPort, inverters: [.init(name: "roof", address: 2, pollInterval: 600)],
                database: directory.file("archive.sqlite"))
            configuration.probeMax = 600
            configuration.archiveInterval = 3600
            // Appended to the last [[inverter]] table.
            configuration.extra = "clock_sync = \"daily\"\nclock_tolerance = 600\n"
            let subscriber = try await TestSubscriber.connect(to: broker, filter: Self.result)
            func inverterClockError() -> Double { drifting.now + simulator.clockOffset(address: 2) - clock.now() }
            let synchronised: @Sendable () -> HostClockState = { HostClockState(synchronised: true, source: "test") }

            try await withBridge(try parse(configuration), clock: clock, hostClock: synchronised) {
                let first = try await subscriber.waitForMessage(topic: Self.result, timeout: .seconds(30))
                let corrected = clock.now()
                let json = try Self.json(first)
                #expect(json["command"] as? String == "clock_sync" && json["ok"] as? Bool == true, "\(first)")
                let before = try #require(json["clockErrorBefore"] as? Int, "\(first)")
                let after = try #require(json["clockErrorAfter"] as? Int, "\(first)")
                // An hour behind, less what it gained before the first comparison (seconds after
                // the start on a fast machine, minutes on a loaded one).
                #expect(before < -600 && before > -3700, "\(first)")
                #expect(abs(after) < 600, "\(first)")

                // 23 hours later the clock is off by more than the tolerance again, and was left alone.
                try await Deadline.until("23 simulated hours", timeout: .seconds(90)) { clock.now() >= corrected + 23 * 3600 }
                #expect(inverterClockError() > 3000)
                #expect(subscriber.messages(on: Self.result).count == 1, "\(subscriber.messages)")

                // A day after the first (24 h from the comparison, a moment before the result
                // reached this subscriber), the next comparison corrects it again.
                let second = try await subscriber.waitUntil(count: 2, timeout: .seconds(30))[1]
                let again = try Self.json(second)
                #expect((again["clockErrorBefore"] as? Int ?? 0) > 3000, "\(second)")
                #expect(abs(inverterClockError()) < 600 + 0.05 * 3600)
            }
        }
    }

    /// Waits until the broker logged the bridge's last command subscription ("<client id> <qos> <filter>").
    static func commandsSubscribed(on broker: TestBroker) async throws {
        try await Deadline.until("the bridge's command subscriptions", timeout: .seconds(10)) {
            broker.log().contains("aurora-bridge-test 1 \(setTime)")
        }
    }

    static func json(_ message: TestSubscriber.Message) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(message.payload)) as? [String: Any], "\(message)")
    }

    /// Runs `body` with one simulated inverter at address 2 on a pseudo-terminal, on `clock`.
    private func withSimulatedBus(
        clock: DriftingClock, _ body: (Simulator, String) async throws -> Void
    ) async throws {
        let simulator = try Simulator(
            inverters: [InverterModel(address: 2, timeZone: .gmt, energyOrigin: clock.start)], clock: clock)
        let directory = try TemporaryDirectory("command-bus")
        let server = try PseudoTerminalServer(simulator: simulator, linkPath: directory.file("ttyAurora"))
        defer { server.stop() }
        try await body(simulator, directory.file("ttyAurora"))
    }
}

/// A simulator clock `offset` seconds off the bridge's wall clock and gaining `drift` seconds
/// per second on it from `start`.
struct DriftingClock: SimulationClock {
    let wall: any WallClock
    let start: Double
    let offset: Double
    let drift: Double
    var now: Double {
        let time = wall.now()
        return time + offset + (time - start) * drift
    }
}

/// The bridge's own command.
@Suite struct RepublishCommandTests {
    @Test func republishSendsTheRetainedStatusAgainAndAnswers() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("republish")
        try await SimulatedBus.withPseudoTerminal { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.extra = "[commands]\nenabled = true\n"
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try parse(configuration)) {
                _ = try await subscriber.waitForMessage(topic: "aurora/roof/info", timeout: .seconds(10))
                try await CommandTests.commandsSubscribed(on: broker)
                subscriber.clear()
                _ = try subscriber.client.publish(topic: "aurora/bridge/command/republish", text: "", qos: .atLeastOnce)
                let answer = try await subscriber.waitForMessage(topic: "aurora/bridge/command/result", timeout: .seconds(10))
                let json = try CommandTests.json(answer)
                #expect(json["command"] as? String == "republish" && json["ok"] as? Bool == true, "\(answer)")
                // Sent again before the answer, with `online`.
                _ = try await subscriber.waitForMessage(topic: "aurora/roof/info")
                _ = try await subscriber.waitForMessage(topic: "aurora/roof/availability")
                #expect(subscriber.messages(on: "aurora/bridge/state").map(\.text) == ["online"])
            }
        }
    }
}

import AuroraBridge
import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// The bridge in this process, a real mosquitto, the simulator on a pseudo-terminal: what a
/// subscriber sees.
@Suite struct LoopPublishingTests {
    @Test func everyFieldArrivesOnItsOwnTopicWithTheExactServedValue() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("loop")
        try await SimulatedBus.withPseudoTerminal(timeZone: .current) { bus in
            let configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try parse(configuration)) {
                let json = try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(10)).text
                // The simulated clock stands still, so every poll serves the same values.
                let snapshot = try #require(bus.snapshot())
                var expected: [(String, String)] = []
                for type in MeasureType.polled {
                    expected.append((type.fieldName!, snapshot.measures[type]!.description))
                }
                for period in EnergyPeriod.allCases {
                    expected.append((period.fieldName, snapshot.energy[period]!.description))
                }
                let inverterTime = InverterClock(timeZone: .current).unixTime(fromInverter: snapshot.inverterSeconds)
                expected.append(("inverterDateTime", inverterTime.description))
                for (field, text) in expected {
                    let message = try await subscriber.waitForMessage(topic: "aurora/roof/loop/\(field)")
                    #expect(message.text == text, "\(field)")
                    #expect(json.contains("\"\(field)\":\(text),") || json.contains("\"\(field)\":\(text)}"), "\(field) in \(json)")
                }
                let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
                #expect(Set(decoded.keys) == Set(expected.map(\.0) + ["dateTime"]), "no field missing, none extra (energy comes from the second packet)")
                let second = try await subscriber.waitForMessage(topic: "aurora/roof/loop/energy")
                #expect(second.text == "0", "the counter did not move: exactly 0 Wh")
                // Loop topics are retained by default: a late subscriber gets the last values.
                let late = try await TestSubscriber.connect(to: broker, filter: "aurora/roof/loop/#")
                #expect(try await late.waitForMessage(topic: "aurora/roof/loop/gridPower").retain)
            }
        }
    }

    @Test func twoInvertersOnOneBusPublishUnderTheirOwnNames() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("two")
        try await SimulatedBus.withPseudoTerminal(addresses: [2, 3], configure: { model in
            if model.address == 3 { model.day.nominalPower = 1500 }
        }) { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.inverters = [.init(name: "east", address: 2), .init(name: "west", address: 3)]
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try parse(configuration)) {
                let east = try await subscriber.waitForMessage(topic: "aurora/east/loop/gridPower", timeout: .seconds(10))
                let west = try await subscriber.waitForMessage(topic: "aurora/west/loop/gridPower", timeout: .seconds(10))
                #expect(east.text == bus.snapshot(address: 2)!.measures[.gridPower]!.description)
                #expect(west.text == bus.snapshot(address: 3)!.measures[.gridPower]!.description)
                #expect(east.text != west.text)
                let info = try await subscriber.waitForMessage(topic: "aurora/west/info").text
                #expect(info.contains("\"address\":3"))
                #expect(try await subscriber.waitForMessage(topic: "aurora/east/availability").text == "online")
            }
        }
    }

    @Test func renamedAndExcludedFieldsFollowTheConfiguration() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("fields")
        try await SimulatedBus.withPseudoTerminal { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.extra = "[fields]\nrename = { gridPower = \"power\" }\nexclude = [\"leakCurrent\"]\n[topics]\nprefix = \"solar\"\n"
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "solar/#")
            try await withBridge(try parse(configuration)) {
                let json = try await subscriber.waitForMessage(topic: "solar/roof/loop", timeout: .seconds(10)).text
                #expect(json.contains("\"power\":"))
                #expect(!json.contains("gridPower") && !json.contains("leakCurrent"))
                #expect(try await subscriber.waitForMessage(topic: "solar/roof/loop/power").text == bus.snapshot()!.measures[.gridPower]!.description)
                #expect(subscriber.messages(on: "solar/roof/loop/leakCurrent").isEmpty)
                #expect(subscriber.messages(on: "solar/roof/loop/gridPower").isEmpty)
            }
        }
    }

    @Test func stateInfoAndStatsArePublished() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("state")
        try await SimulatedBus.withPseudoTerminal { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.statsInterval = 0.3
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try parse(configuration)) {
                let state = try await subscriber.waitForMessage(topic: "aurora/roof/state", timeout: .seconds(10))
                let late = try await TestSubscriber.connect(to: broker, filter: "aurora/roof/state")
                #expect(try await late.waitForMessage(topic: "aurora/roof/state").retain)
                #expect(state.text.contains("\"global\":{\"code\":6,\"text\":\"Run\"}"))
                let info = try await subscriber.waitForMessage(topic: "aurora/roof/info").text
                #expect(info.contains("\"partNumber\":\"-3G79-\"") && info.contains("\"firmware\":\"C.0.1.6\""))
                let stats = try await subscriber.waitForMessage(topic: "aurora/bridge/stats", timeout: .seconds(10)) { $0.text.contains("\"pollsOk\":") && !$0.text.contains("\"pollsOk\":0,") }
                #expect(!stats.retain)
                for key in ["uptime", "pollsOk", "pollsFailed", "crcErrors", "timeouts", "lastPollDuration", "reconnects", "archiveBacklog", "archiveDegraded", "archiveQueued"] {
                    #expect(stats.text.contains("\"\(key)\":"), "\(key) in \(stats.text)")
                }
                #expect(try await subscriber.waitForMessage(topic: "aurora/bridge/state").text == "online")
            }
            // After a graceful stop the bridge says so itself, retained.
            try await subscriber.waitForMessage(topic: "aurora/bridge/state") { $0.text == "offline" }
            let late = try await TestSubscriber.connect(to: broker, filter: "aurora/bridge/state")
            #expect(try await late.waitForMessage(topic: "aurora/bridge/state").text == "offline")
        }
    }

    @Test func publishingResumesAfterTheBrokerRestartsWithoutRestartingTheBridge() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("restart")
        try await SimulatedBus.withPseudoTerminal { bus in
            let configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try parse(configuration)) {
                try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(10))
                try await broker.stop()
                subscriber.clear()
                try await broker.start()
                // The broker lost its retained store: the bridge announces itself again and
                // republishes availability, state and info, then the loop goes on.
                try await subscriber.waitForMessage(topic: "aurora/bridge/state", timeout: .seconds(15)) { $0.text == "online" }
                try await subscriber.waitForMessage(topic: "aurora/roof/availability", timeout: .seconds(5)) { $0.text == "online" }
                try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(5))
            }
        }
    }
}

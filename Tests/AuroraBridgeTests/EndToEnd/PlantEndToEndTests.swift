import AuroraBridge
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// Two simulated inverters, the bridge in this process, a real mosquitto: the plant is a third
/// inverter whose figures are those of the other two.
@Suite struct PlantEndToEndTests {
    @Test func thePlantPublishesTheSumOfEachRoundAndItsCountersNeverGoDown() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("plant")
        try await SimulatedBus.withPseudoTerminal(addresses: [2, 3], configure: { model in
            if model.address == 3 { model.day.nominalPower = 1500 }
        }) { bus in
            var text = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            text.inverters = [.init(name: "east", address: 2, pollInterval: 0.5), .init(name: "west", address: 3, pollInterval: 0.5)]
            text.archiveInterval = 1
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "#")
            try await withBridge(try parse(text)) {
                #expect(try await subscriber.waitForMessage(topic: "aurora/plant/availability", timeout: .seconds(10)).text == "online")
                // The simulated day moves on between rounds: powers and counters change.
                let fullRounds = { subscriber.messages(on: "aurora/plant/loop").count { $0.text.contains("\"inverters\":2") } }
                for _ in 0..<6 {
                    let seen = fullRounds()
                    try await Deadline.until("two more full rounds", timeout: .seconds(30)) { fullRounds() >= seen + 2 }
                    bus.clock.advance(by: 300)
                }
                try await subscriber.waitForMessage(topic: "aurora/plant/archive", timeout: .seconds(20))
                // Device-based discovery: the plant is one device, its DC power one of its components.
                let device = try await subscriber.waitForMessage(topic: "homeassistant/device/aurora_plant/config").text
                #expect(device.contains("\"dcPower\":{\"p\":\"sensor\""), "\(device)")
                #expect(device.contains("\"state_topic\":\"aurora/plant/loop/dcPower\""), "\(device)")
            }
            try checkSums(subscriber.messages.filter { $0.topic.hasSuffix("/loop") && !$0.retain })
        }
    }

    /// Each plant packet against the inverter packets of its round (those since the previous
    /// plant packet, the latest of each inverter), in order of arrival: both inverters in every
    /// round from the first on, the power their sum, the energy the sum of every packet's.
    private func checkSums(_ loops: [TestSubscriber.Message]) throws {
        var round: [String: [String: Double]] = [:]
        var roundEnergy = 0.0
        var lastTotals: [String: Double] = [:]
        var plantTotals: [Double] = []
        var plantTimes: [Double] = []
        var rounds = 0
        for message in loops {
            let name = message.topic.split(separator: "/")[1]
            let json = try #require(try JSONSerialization.jsonObject(with: Data(message.text.utf8)) as? [String: Double])
            guard name == "plant" else {
                round[String(name)] = json
                roundEnergy += json["energy"] ?? 0
                if let total = json["totalEnergy"] { lastTotals[String(name)] = total }
                continue
            }
            #expect(json["inverters"] == 2 && round.count == 2, "every round is whole: \(message.text) after \(round)")
            let power = round.values.compactMap { $0["gridPower"] }.reduce(0, +)
            let plantPower = try #require(json["gridPower"])
            #expect(abs(plantPower - power) <= 0.01 + power * 1e-6, "plant \(plantPower) W, inverters \(power) W")
            #expect((json["energy"] ?? 0) == roundEnergy, "plant energy \(json["energy"] ?? 0) Wh, inverters \(roundEnergy) Wh")
            plantTimes.append(try #require(json["dateTime"]))
            rounds += 1
            if let total = json["totalEnergy"] {
                #expect(lastTotals.count == 2 && total == lastTotals.values.reduce(0, +), "\(total) Wh from \(lastTotals)")
                plantTotals.append(total)
            }
            round = [:]
            roundEnergy = 0
        }
        #expect(rounds >= 12)
        #expect(zip(plantTimes.dropFirst(), plantTimes).allSatisfy { $0 > $1 }, "never two plant packets with one dateTime: \(plantTimes)")
        #expect(plantTotals.count >= 6, "a sum that rose faster than the limits after a jump of the simulated clock may be left out once")
        #expect(zip(plantTotals.dropFirst(), plantTotals).allSatisfy { $0 >= $1 }, "\(plantTotals)")
        #expect(plantTotals.last! > plantTotals.first!, "the counters moved: \(plantTotals)")
    }
}

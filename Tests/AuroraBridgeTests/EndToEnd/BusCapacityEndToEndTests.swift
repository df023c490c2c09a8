import AuroraBridge
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// Eight inverters on one simulated 19200-baud bus, a real mosquitto: more than the bus carries.
@Suite struct BusCapacityEndToEndTests {
    @Test func eightInvertersAtOneSecondAreAllPolledWithTheBusFullAndAWarning() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("capacity")
        let addresses = Array(UInt8(2)...9)
        // Every reply waits for the wire time of request and reply at 19200 baud.
        try await SimulatedBus.withPseudoTerminal(addresses: addresses, faults: FaultSettings(baud: 19200)) { bus in
            var text = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            text.inverters = addresses.map { .init(name: "inv\($0)", address: Int($0), pollInterval: 1) }
            text.statsInterval = 4
            let configuration = try parse(text)
            let warning = try #require(configuration.busCapacityWarning)
            #expect(warning.contains("poll_interval of 3 s"), "\(warning)")
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(configuration) {
                for address in addresses {
                    try await subscriber.waitForMessage(topic: "aurora/inv\(address)/loop", timeout: .seconds(60))
                }
                // A stats interval that began after every inverter had been polled once.
                subscriber.clear()
                let stats = try await subscriber.waitForMessage(topic: "aurora/bridge/stats", timeout: .seconds(30))
                let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.text.utf8)) as? [String: Any])
                let utilization = try #require(json["busUtilization"] as? Double, "\(stats.text)")
                #expect((0.8...1).contains(utilization), "the poller goes from one inverter to the next: \(stats.text)")
                // Each inverter's learned reply timeout: above the wire time, far below the read timeout.
                let timeouts = addresses.map { json["replyTimeout_inv\($0)"] as? Double }
                #expect(timeouts.allSatisfy { $0.map { (0.0094...1).contains($0) } ?? false }, "\(stats.text)")
                #expect(try FlatJSON(stats.text).keys.count == json.count, "the stats stay a flat object")
                // None starves: every inverter is polled again within two rounds.
                subscriber.clear()
                for address in addresses {
                    try await subscriber.waitForMessage(topic: "aurora/inv\(address)/loop", timeout: .seconds(30))
                }
            }
        }
    }
}

import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

/// `aurora-bridge discovery remove` as a user runs it.
@Suite struct DiscoveryCommandTests {
    static func setup(brokerPort: Int, _ directory: TemporaryDirectory) throws -> String {
        let configuration = TestBridgeConfiguration(
            brokerPort: brokerPort, busPort: directory.file("ttyAurora"), database: directory.file("archive.sqlite"))
        return try ArchiveBench.write(configuration, in: directory)
    }

    @Test func removeClearsTheRetainedConfigsAndSaysHowMany() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("discovery-cli")
        let path = try Self.setup(brokerPort: Int(broker.port), directory)
        let seeder = try await TestSubscriber.connect(to: broker, filter: "homeassistant/#")
        for topic in ["homeassistant/device/aurora_roof/config", "homeassistant/sensor/aurora_roof/gridPower/config"] {
            _ = try seeder.client.publish(topic: topic, text: "{}", qos: .atLeastOnce, retain: true)
            try await seeder.waitForMessage(topic: topic)
        }
        let (status, output) = try await ArchiveBench.run(["discovery", "remove", "--config", path], in: directory)
        #expect(status == 0, "\(output)")
        let count = HomeAssistantDiscovery(configuration: try BridgeConfiguration.load(path: path, environment: [:])).everyPossibleAnnouncement().count + 1
        #expect(output.contains("cleared \(count) of \(count) retained topic(s)"), "\(output)")
        #expect(try await DiscoveryTests.retainedTopics(broker).isEmpty)
    }

    @Test func removeWithoutABrokerExits69() async throws {
        let directory = try TemporaryDirectory("discovery-cli-nobroker")
        let path = try Self.setup(brokerPort: Int(FreePort.loopback()), directory)
        let (status, output) = try await ArchiveBench.run(["discovery", "remove", "--config", path], in: directory)
        #expect(status == 69)
        #expect(output.contains("cannot reach the MQTT broker at 127.0.0.1:"), "\(output)")
    }
}

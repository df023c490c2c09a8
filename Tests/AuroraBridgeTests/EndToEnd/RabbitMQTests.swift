import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

/// The bridge against RabbitMQ's MQTT plugin (Debian's `rabbitmq-server`, 3.10), the broker of
/// users who outgrow one mosquitto: one node, booted once for the whole test (10–60 s).
@Suite(.enabled(if: TestRabbitMQ.isInstalled, "rabbitmq-server is not installed (make deps installs it)"))
struct RabbitMQTests {
    @Test func loopArchiveAndDiscoveryWorkAndQoS2StopsTheBridgeWithAClearError() async throws {
        let rabbit = try await TestRabbitMQ.start()
        do {
            try await liveArchiveAndDiscovery(rabbit)
            try await qos2(rabbit)
        } catch {
            Issue.record("RabbitMQ log: \(rabbit.log().suffix(4000))")
            try? await rabbit.stop()
            throw error
        }
        try await rabbit.stop()
    }

    /// Loop and availability messages, archive records acknowledged and marked delivered, and
    /// discovery reaching a wildcard subscriber that came after the bridge connected.
    private func liveArchiveAndDiscovery(_ rabbit: TestRabbitMQ) async throws {
        let directory = try TemporaryDirectory("rabbitmq-bridge")
        try await SimulatedBus.withPseudoTerminal { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(rabbit.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.archiveInterval = 1
            let values = try await TestSubscriber.connect(configuration: rabbit.clientConfiguration(clientID: "values"), filter: "aurora/#", qos: .atLeastOnce)
            try await withBridge(try parse(configuration)) {
                #expect(try await values.waitForMessage(topic: "aurora/roof/availability", timeout: .seconds(20)).text == "online")
                try await Deadline.until("loop packets", timeout: .seconds(20), interval: .milliseconds(50)) {
                    values.messages(on: "aurora/roof/loop").count >= 3
                }
                let database = ArchiveDatabase(path: configuration.database)
                try await Deadline.until("archive records acknowledged and marked delivered", timeout: .seconds(30), interval: .milliseconds(100)) {
                    try database.integer("SELECT COUNT(*) FROM archive WHERE delivered = 1") ?? 0 >= 2
                }
                let delivered = try database.rows().filter(\.delivered).map(\.dateTime)
                let received = try values.messages(on: "aurora/roof/archive").map { try FlatJSON($0.text) }.compactMap { $0.integer("dateTime") }
                #expect(Set(received).isSuperset(of: delivered), "a record is marked delivered only once the subscriber can have it")

                // Home Assistant subscribes to its prefix with a wildcard. RabbitMQ 3.10 keeps
                // retained messages, but sends them only to exact-topic subscriptions.
                let home = try await TestSubscriber.connect(configuration: rabbit.clientConfiguration(clientID: "home"), filter: "homeassistant/#", qos: .atLeastOnce)
                let exact = try await TestSubscriber.connect(
                    configuration: rabbit.clientConfiguration(clientID: "exact"),
                    filter: DiscoveryTests.deviceTopic, qos: .atLeastOnce)
                #expect(try await exact.waitForMessage(topic: exact.filter, timeout: .seconds(10)).retain, "kept retained")
                #expect(home.messages.isEmpty, "nothing retained for the wildcard subscription, subscribed earlier: \(home.messages.map(\.topic))")
                // Home Assistant's birth message: the bridge publishes the configs again.
                try home.client.publish(topic: "homeassistant/status", text: "online", qos: .atLeastOnce)
                try await Deadline.until("the device config after the birth message", timeout: .seconds(20), interval: .milliseconds(50)) {
                    home.messages.contains { $0.topic == DiscoveryTests.deviceTopic && !$0.payload.isEmpty }
                }
                await home.close()
                await exact.close()
            }
            await values.close()
        }
    }

    /// `[mqtt] qos = 2`: RabbitMQ answers a QoS 2 publication with a PUBACK, a protocol error
    /// to libmosquitto, which drops the connection and resends the message on every reconnect.
    /// The bridge stops with an error that names the fix instead of looping.
    private func qos2(_ rabbit: TestRabbitMQ) async throws {
        let directory = try TemporaryDirectory("rabbitmq-qos2")
        let bus = try SimulatedBus.pseudoTerminal()
        defer { bus.stop() }
        var configuration = TestBridgeConfiguration(brokerPort: Int(rabbit.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
        configuration.qos = 2
        let bridge = try BridgeProcess(configPath: try ArchiveBench.write(configuration, in: directory), logPath: directory.file("bridge.log"))
        try await bridge.process.waitForExit(timeout: .seconds(30))
        #expect(bridge.process.exitCode == 78, "exit 78, a configuration problem systemd does not restart; log: \(bridge.log)")
        #expect(bridge.log.contains("does not support QoS 2") && bridge.log.contains("set [mqtt] qos = 1"), "log: \(bridge.log)")
    }
}

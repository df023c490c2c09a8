import AuroraBridge
import AuroraTestSupport
import Mosquitto
import Testing

/// The bridge in this process against a real mosquitto that refuses it at first: with MQTT 5,
/// libmosquitto's own thread used to stop after the refusal and the bridge stayed silent.
@Suite struct MQTTRecoveryTests {
    @Test(arguments: BridgeConfiguration.MQTT.ProtocolVersion.allCases)
    func theBridgeIsLetInOnceTheBrokerAcceptsItsUser(version: BridgeConfiguration.MQTT.ProtocolVersion) async throws {
        let broker = try await TestBroker.start(TestBroker.Options(users: ["watcher": "w"]))
        let directory = try TemporaryDirectory("refused")
        try await SimulatedBus.withPseudoTerminal { bus in
            let text = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            var configuration = try parse(text)
            configuration.mqtt.protocolVersion = version
            configuration.mqtt.username = "aurora"
            configuration.mqtt.password = Secret("s3cret", source: "test")
            let subscriber = try await TestSubscriber.connect(
                to: broker, filter: "aurora/#", credentials: Credentials(username: "watcher", password: "w")
            )
            try await withBridge(configuration) {
                try await Deadline.until("the broker to refuse the bridge twice", timeout: .seconds(20)) {
                    // The watcher is in; only the bridge is refused (mosquitto does not name it).
                    broker.log().components(separatedBy: "disconnected, not authorised").count > 2
                }
                try await broker.setPassword("s3cret", for: "aurora")
                broker.reload()
                try await subscriber.waitForMessage(topic: "aurora/bridge/state", timeout: .seconds(20)) { $0.text == "online" }
                try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(20))
            }
        }
    }
}

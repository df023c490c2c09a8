import AuroraBridge
import AuroraLink
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

@Suite("init then run")
struct InitRunTests {
    /// What `aurora-bridge init` writes for a scanned bus, run as written (but for the archive
    /// path): every inverter found publishes its readings.
    @Test func theWrittenConfigurationPublishesEveryInverterFound() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("init-run")
        try await SimulatedBus.withPseudoTerminal(addresses: [39, 40]) { bus in
            let port = try #require(bus.linkPath)
            let found = try await BusScanner(port: .serial(path: port), addresses: 38...41).scan()
            #expect(found.map(\.address) == [39, 40])
            let template = ConfigTemplate(
                port: port, brokerHost: "127.0.0.1", brokerPort: Int(broker.port),
                inverters: found.map { .init(address: $0.address, model: $0.identity.version.model, serialNumber: $0.identity.serialNumber) }
            )
            let path = directory.file("bridge.conf")
            try Data(template.text.utf8).write(to: URL(fileURLWithPath: path))
            var configuration = try BridgeConfiguration.load(path: path, environment: [:])
            configuration.archive.database = directory.file("archive.sqlite")

            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(configuration) {
                try await subscriber.waitForMessage(topic: "aurora/pvi-3-6-outd-39/loop", timeout: .seconds(30))
                try await subscriber.waitForMessage(topic: "aurora/pvi-3-6-outd-40/loop", timeout: .seconds(30))
            }
        }
    }
}

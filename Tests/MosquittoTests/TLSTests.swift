import AuroraTestSupport
import Mosquitto
import Testing

@Suite("TLS", .enabled(if: TestCertificates.openssl != nil, "openssl is not installed: cannot make a test CA"))
struct TLSTests {
    private func roundTrip(_ configuration: MosquittoConfiguration, broker: TestBroker) async throws {
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/tls")
        let client = try MosquittoClient(configuration: configuration)
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        let mid = try client.publish(topic: "aurora/tls", text: "secret", qos: .atLeastOnce)
        try await log.waitForPublished(mid)
        #expect(try await subscriber.waitForMessage(topic: "aurora/tls").text == "secret")
        await client.disconnect()
    }

    @Test func verifiesTheBrokerAgainstATestCA() async throws {
        let broker = try await TestBroker.start(TestBroker.Options(tls: true))
        let certificates = try #require(broker.certificates)
        var configuration = broker.clientConfiguration()
        configuration.port = Int(try #require(broker.tlsPort))
        configuration.tls = .certificates(trust: .caFile(certificates.caFile), version: .tls1_2)
        try await roundTrip(configuration, broker: broker)
    }

    @Test func presentsAClientCertificate() async throws {
        let broker = try await TestBroker.start(TestBroker.Options(tls: true, requireClientCertificate: true))
        let certificates = try #require(broker.certificates)
        var configuration = broker.clientConfiguration()
        configuration.port = Int(try #require(broker.tlsPort))
        configuration.tls = .certificates(
            trust: .caFile(certificates.caFile),
            client: .init(certificateFile: certificates.clientCertificateFile, keyFile: certificates.clientKeyFile)
        )
        try await roundTrip(configuration, broker: broker)
    }

    @Test func connectsWithAPreSharedKey() async throws {
        let broker = try await TestBroker.start(TestBroker.Options(preSharedKey: ("aurora", "0123456789abcdef")))
        var configuration = broker.clientConfiguration()
        configuration.port = Int(try #require(broker.pskPort))
        configuration.tls = .preSharedKey(.init(identity: "aurora", hexKey: "0123456789abcdef"), version: .tls1_2)
        try await roundTrip(configuration, broker: broker)
    }
}

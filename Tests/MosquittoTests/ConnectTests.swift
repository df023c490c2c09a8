import AuroraTestSupport
import Mosquitto
import Testing

@Suite("Connecting")
struct ConnectTests {
    @Test func connectsAndReportsConnack() async throws {
        let broker = try await TestBroker.start()
        let client = try MosquittoClient(configuration: broker.clientConfiguration(clientID: "connect-test"))
        let log = MosquittoEventLog(client)
        #expect(!client.isConnected)
        try client.connect()
        let acknowledgement = try await log.waitForConnected()
        #expect(acknowledgement.reasonCode == .success)
        #expect(!acknowledgement.sessionPresent)
        #expect(client.isConnected)
        await client.disconnect()
        #expect(try await log.waitForDisconnected() == .requested)
        #expect(!client.isConnected)
    }

    @Test func connectsWithMQTT5() async throws {
        let broker = try await TestBroker.start()
        var configuration = broker.clientConfiguration(clientID: "mqtt5-test")
        configuration.protocolVersion = .v5
        let client = try MosquittoClient(configuration: configuration)
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        let mid = try client.publish(topic: "aurora/v5", text: "hello", qos: .atLeastOnce)
        try await log.waitForPublished(mid)
        await client.disconnect()
        #expect(broker.log().contains("mqtt5-test (p5"))
    }

    @Test func firstConnectWaitsForALateBroker() async throws {
        let broker = try await TestBroker.start()
        try await broker.stop()
        let client = try MosquittoClient(configuration: broker.clientConfiguration(clientID: "early-client"))
        let log = MosquittoEventLog(client)
        try client.connect()  // nothing listens yet: must not throw, must keep trying
        #expect(!client.isConnected)
        try await broker.start()
        try await log.waitForConnected(timeout: .seconds(6))
        #expect(client.isConnected)
        await client.disconnect()
    }

    @Test func everyEventStreamSeesEveryEvent() async throws {
        let broker = try await TestBroker.start()
        let client = try MosquittoClient(configuration: broker.clientConfiguration())
        let first = MosquittoEventLog(client)
        let second = MosquittoEventLog(client)
        try client.connect()
        try await first.waitForConnected()
        try await second.waitForConnected()
        let mid = try client.publish(topic: "aurora/fanout", text: "x", qos: .atLeastOnce)
        try await first.waitForPublished(mid)
        try await second.waitForPublished(mid)
        await client.disconnect()
    }

    @Test func connectTwiceIsRejected() async throws {
        let broker = try await TestBroker.start()
        let client = try MosquittoClient(configuration: broker.clientConfiguration())
        try client.connect()
        #expect(throws: MosquittoError.self) { try client.connect() }
        await client.disconnect()
        #expect(throws: MosquittoError.self) { try client.publish(topic: "aurora/x", text: "late", qos: .atLeastOnce) }
    }

    @Test func invalidOptionsThrowClearErrors() throws {
        var configuration = MosquittoConfiguration(host: "127.0.0.1", port: 1, cleanSession: false)
        #expect(throws: MosquittoError.self) { try MosquittoClient(configuration: configuration) }
        configuration = MosquittoConfiguration(host: "127.0.0.1", port: 1)
        configuration.tls = .certificates(trust: .caFile("/nonexistent/ca.crt"))
        do {
            _ = try MosquittoClient(configuration: configuration)
            Issue.record("an unreadable CA file was accepted")
        } catch {
            #expect(error.description.contains("/nonexistent/ca.crt"))
        }
    }
}

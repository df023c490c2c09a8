import AuroraTestSupport
import Mosquitto
import Testing

/// The broker goes away and comes back on the same port; the client must cope on its own.
@Suite("Broker outages")
struct OutageTests {
    private func connectedClient(_ broker: TestBroker, id: String) async throws -> (MosquittoClient, MosquittoEventLog) {
        let client = try MosquittoClient(configuration: broker.clientConfiguration(clientID: id))
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        return (client, log)
    }

    @Test func reconnectsByItselfAfterARestart() async throws {
        let broker = try await TestBroker.start()
        let (client, log) = try await connectedClient(broker, id: "outage-reconnect")
        try await broker.stop()
        let reason = try await log.waitForDisconnected()
        guard case .unexpected = reason else {
            Issue.record("a lost broker should be an unexpected disconnect, got \(reason)")
            return
        }
        #expect(!client.isConnected)
        try await broker.start()
        try await log.waitForConnected(count: 2, timeout: .seconds(6))
        #expect(client.isConnected)
        await client.disconnect()
    }

    @Test func subscriptionsAreRenewedAfterARestart() async throws {
        let broker = try await TestBroker.start()
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
        try await broker.kill()
        try await broker.start()
        try await Deadline.until("subscription renewed", timeout: .seconds(6)) { subscriber.subscriptionCount >= 2 }
        let (client, log) = try await connectedClient(broker, id: "renew-publisher")
        let mid = try client.publish(topic: "aurora/after", text: "restart", qos: .atLeastOnce)
        try await log.waitForPublished(mid)
        #expect(try await subscriber.waitForMessage(topic: "aurora/after").text == "restart")
        await client.disconnect()
    }

    @Test func retainedQoS1PublishedWhileDownIsDeliveredOnceAfterwards() async throws {
        let broker = try await TestBroker.start()
        let (client, log) = try await connectedClient(broker, id: "outage-publisher")
        try await broker.stop()
        try await log.waitForDisconnected()

        // libmosquitto answers MOSQ_ERR_NO_CONN but keeps the message: the wrapper returns its id.
        let mid = try client.publish(topic: "aurora/inv1/archive", text: "42", qos: .atLeastOnce, retain: true)
        #expect(log.count { $0 == .published(mid) } == 0)

        try await broker.start()
        try await log.waitForConnected(count: 2, timeout: .seconds(6))
        try await log.waitForPublished(mid)

        // A fresh subscriber finds it retained, exactly once.
        let subscriber = try await TestSubscriber.connect(to: broker)
        let message = try await subscriber.waitForMessage(topic: "aurora/inv1/archive")
        #expect(message.text == "42" && message.retain)
        // A later marker from the same client proves nothing else is still in flight.
        let marker = try client.publish(topic: "aurora/marker", text: "end", qos: .atLeastOnce)
        try await log.waitForPublished(marker)
        try await subscriber.waitForMessage(topic: "aurora/marker")
        #expect(subscriber.messages(on: "aurora/inv1/archive").count == 1)
        #expect(log.count { $0 == .published(mid) } == 1)
        let received = broker.log().components(separatedBy: "\n").filter {
            $0.contains("Received PUBLISH from outage-publisher") && $0.contains("'aurora/inv1/archive'")
        }
        #expect(received.count == 1, "the broker received the message \(received.count) times: \(received)")
        await client.disconnect()
    }

    @Test func qos0PublishWhileDisconnectedIsReportedAsDropped() async throws {
        let broker = try await TestBroker.start()
        let (client, log) = try await connectedClient(broker, id: "outage-qos0")
        try await broker.stop()
        try await log.waitForDisconnected()
        do {
            try client.publish(topic: "aurora/inv1/loop/gridPower", text: "1.0", qos: .atMostOnce)
            Issue.record("a QoS 0 publish while disconnected must report that it was dropped")
        } catch {
            #expect(error.code == .noConnection)
            #expect(error.description.contains("dropped"))
        }

        try await broker.start()
        try await log.waitForConnected(count: 2, timeout: .seconds(6))
        let subscriber = try await TestSubscriber.connect(to: broker)
        let marker = try client.publish(topic: "aurora/marker", text: "end", qos: .atMostOnce)
        try await log.waitForPublished(marker)
        try await subscriber.waitForMessage(topic: "aurora/marker")
        #expect(subscriber.messages(on: "aurora/inv1/loop/gridPower").isEmpty)
        await client.disconnect()
    }
}

import AuroraTestSupport
import Mosquitto
import Testing

@Suite("Publishing and subscribing")
struct PublishSubscribeTests {
    @Test(arguments: QoS.allCases)
    func roundTrip(qos: QoS) async throws {
        let broker = try await TestBroker.start()
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#", qos: .exactlyOnce)
        let client = try MosquittoClient(configuration: broker.clientConfiguration(clientID: "publisher"))
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()

        let payload: [UInt8] = [0x34, 0x39, 0x34, 0x2E, 0x37, 0x00, 0xFF]  // binary-safe
        let mid = try client.publish(topic: "aurora/inv1/loop/gridPower", payload: payload, qos: qos)
        try await log.waitForPublished(mid)
        let message = try await subscriber.waitForMessage(topic: "aurora/inv1/loop/gridPower")
        #expect(message.payload == payload)
        #expect(message.qos == qos)
        #expect(!message.retain)
        await client.disconnect()
        await subscriber.close()
    }

    @Test func retainedMessageReachesALateSubscriber() async throws {
        let broker = try await TestBroker.start()
        let client = try MosquittoClient(configuration: broker.clientConfiguration())
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        let mid = try client.publish(topic: "aurora/bridge/state", text: "online", qos: .atLeastOnce, retain: true)
        try await log.waitForPublished(mid)

        let late = try await TestSubscriber.connect(to: broker)
        let state = try await late.waitForMessage(topic: "aurora/bridge/state")
        #expect(state.text == "online")
        #expect(state.retain)
        await client.disconnect()
    }

    @Test func publishedEventCarriesTheMessageIDOfEachQoS1Publish() async throws {
        let broker = try await TestBroker.start()
        let client = try MosquittoClient(configuration: broker.clientConfiguration())
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        let mids = try (1...5).map { try client.publish(topic: "aurora/inv1/archive", text: "record \($0)", qos: .atLeastOnce) }
        #expect(Set(mids).count == 5)
        for mid in mids { try await log.waitForPublished(mid) }
        let acknowledged = log.events.compactMap { event -> MessageID? in
            if case .published(let mid) = event { mid } else { nil }
        }
        #expect(acknowledged.sorted { $0.rawValue < $1.rawValue } == mids.sorted { $0.rawValue < $1.rawValue })
        await client.disconnect()
    }

    @Test func subscribeAndUnsubscribeAreAcknowledged() async throws {
        let broker = try await TestBroker.start()
        let client = try MosquittoClient(configuration: broker.clientConfiguration())
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        let subscribeID = try #require(try client.subscribe("homeassistant/status", qos: .atLeastOnce))
        try await log.waitFor("SUBACK") { $0 == .subscribed(subscribeID, grantedQoS: [.atLeastOnce]) }
        _ = try client.publish(topic: "homeassistant/status", text: "online", qos: .atLeastOnce)
        try await log.waitFor("message") {
            if case .message(let message) = $0 { message.topic == "homeassistant/status" && message.text == "online" } else { false }
        }
        let unsubscribeID = try #require(try client.unsubscribe("homeassistant/status"))
        try await log.waitFor("UNSUBACK") { $0 == .unsubscribed(unsubscribeID) }
        #expect(throws: MosquittoError.self) { try client.subscribe("bad/#/filter") }
        #expect(throws: MosquittoError.self) { try client.publish(topic: "aurora/+/wildcard", text: "x") }
        await client.disconnect()
    }
}

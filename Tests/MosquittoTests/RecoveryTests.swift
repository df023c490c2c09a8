import AuroraTestSupport
@_spi(Testing) import Mosquitto
import Testing

/// Whatever ends a connection, the client comes back by itself, under every protocol version
/// and over TLS, keeping its will and renewing its subscriptions.
@Suite("Recovery")
struct RecoveryTests {
    /// A client with a will and credentials `aurora`/`s3cret`, on the plain or the TLS listener.
    private func client(_ broker: TestBroker, version: ProtocolVersion, tls: Bool, id: String) throws -> (MosquittoClient, MosquittoEventLog) {
        var configuration = broker.clientConfiguration(clientID: id)
        configuration.protocolVersion = version
        configuration.credentials = Credentials(username: "aurora", password: "s3cret")
        configuration.will = LastWill(topic: "aurora/bridge/state", text: "offline")
        configuration.keepAlive = .seconds(5)
        if tls {
            let certificates = try #require(broker.certificates)
            configuration.port = Int(try #require(broker.tlsPort))
            configuration.tls = .certificates(trust: .caFile(certificates.caFile))
        }
        let client = try MosquittoClient(configuration: configuration)
        return (client, MosquittoEventLog(client))
    }

    private static let watcher = Credentials(username: "watcher", password: "w")

    @Test(arguments: zip([ProtocolVersion.v3_1_1, .v5, .v5], [false, false, true]))
    func aRefusedFirstConnectRecoversOnceTheBrokerAccepts(version: ProtocolVersion, tls: Bool) async throws {
        let broker = try await TestBroker.start(TestBroker.Options(users: ["watcher": "w"], tls: tls))
        let watcher = try await TestSubscriber.connect(to: broker, filter: "aurora/bridge/state", credentials: Self.watcher)
        let (client, log) = try client(broker, version: version, tls: tls, id: "refused-\(version)-\(tls)")
        try client.connect()
        try await log.waitFor("refusal", count: 2, timeout: .seconds(15)) {
            if case .connectionRefused = $0 { true } else { false }
        }
        #expect(!client.isConnected)
        #expect(client.health.loop == .running)

        try await broker.setPassword("s3cret", for: "aurora")  // the broker's user comes back…
        broker.reload()
        try await log.waitForConnected(timeout: .seconds(20))   // …and the client is let in
        #expect(client.health.disconnectedSince == nil)

        // The will is still set: a cut connection makes the broker publish it.
        client.dropConnectionForTesting()
        try await watcher.waitForMessage(topic: "aurora/bridge/state", timeout: .seconds(10)) { $0.text == "offline" }
        try await log.waitForConnected(count: 2, timeout: .seconds(20))
        await client.disconnect()
        #expect(client.health.loop == .ended)
    }

    @Test(arguments: zip([ProtocolVersion.v3_1_1, .v5, .v5], [false, false, true]))
    func aBrokerRestartIsSurvivedAndSubscriptionsAreRenewed(version: ProtocolVersion, tls: Bool) async throws {
        let broker = try await TestBroker.start(TestBroker.Options(users: ["aurora": "s3cret", "watcher": "w"], tls: tls))
        let (client, log) = try client(broker, version: version, tls: tls, id: "restart-\(version)-\(tls)")
        try await subscribeAndConnect(client, log)

        try await broker.stop()
        try await log.waitForDisconnected(timeout: .seconds(10))
        try await broker.start()
        try await expectRecoveredWithSubscription(log, via: broker, topic: "aurora/command/restart")
        await client.disconnect()
    }

    @Test func aSessionTakenOverIsRecoveredWithTheSubscriptions() async throws {
        let broker = try await TestBroker.start(TestBroker.Options(users: ["aurora": "s3cret", "watcher": "w"]))
        let (client, log) = try client(broker, version: .v5, tls: false, id: "taken-over")
        try await subscribeAndConnect(client, log)

        // A second client with the same id: mosquitto 2.0 closes the first one's connection
        // (without a DISCONNECT; ServerDisconnectTests covers one with reason 142).
        let (intruder, intruderLog) = try self.client(broker, version: .v5, tls: false, id: "taken-over")
        try intruder.connect()
        let reason = try await log.waitForDisconnected(timeout: .seconds(10))
        guard case .unexpected = reason else {
            Issue.record("a takeover is an unexpected disconnect, got \(reason)")
            return
        }
        try await intruderLog.waitForConnected()
        await intruder.disconnect()

        try await expectRecoveredWithSubscription(log, via: broker, topic: "aurora/command/after-takeover")
        await client.disconnect()
    }

    @Test func healthShowsAnOutageAndItsEnd() async throws {
        let broker = try await TestBroker.start()
        let client = try MosquittoClient(configuration: broker.clientConfiguration(clientID: "health"))
        let log = MosquittoEventLog(client)
        #expect(client.health.loop == .notStarted)
        try client.connect()
        try await log.waitForConnected()
        let connected = client.health
        #expect(connected.loop == .running && connected.disconnectedSince == nil && connected.consecutiveFailures == 0)

        try await broker.stop()
        let down = try await Deadline.wait(for: "two failed attempts", timeout: .seconds(15)) {
            let health = client.health
            return health.consecutiveFailures >= 2 ? health : nil
        }
        let since = try #require(down.disconnectedSince)
        let now = ContinuousClock.now
        #expect(down.problem(at: now, maxDisconnected: .seconds(600)) == nil)
        #expect(down.problem(at: now, maxDisconnected: .zero) == .disconnectedTooLong(for: now - since, failures: down.consecutiveFailures))

        try await broker.start()
        try await log.waitForConnected(count: 2, timeout: .seconds(20))
        try await Deadline.until("health to see the connection", timeout: .seconds(5)) { client.health.disconnectedSince == nil }
        await client.disconnect()
        #expect(client.health.loop == .ended)
        #expect(client.health.problem(at: .now, maxDisconnected: .seconds(600)) == .loopEnded)
    }

    @Test func anUnresolvableHostIsRetriedInsteadOfEndingTheLoop() async throws {
        // libmosquitto's own loop returns for good on MOSQ_ERR_EAI.
        let client = try MosquittoClient(configuration: MosquittoConfiguration(
            host: "no.such.host.invalid", clientID: "lookup",
            reconnect: ReconnectPolicy(minimumDelay: .milliseconds(100), maximumDelay: .milliseconds(200))
        ))
        try client.connect()
        try await Deadline.until("three failed attempts", timeout: .seconds(30)) { client.health.consecutiveFailures >= 3 }
        #expect(client.health.loop == .running)
        #expect(client.health.problem(at: .now, maxDisconnected: .zero) != nil)
        await client.disconnect()
    }

    /// Subscribes `client` to `aurora/command/#`, connects it and waits for the SUBACK.
    private func subscribeAndConnect(_ client: MosquittoClient, _ log: MosquittoEventLog) async throws {
        try client.subscribe("aurora/command/#")
        try client.connect()
        try await log.waitFor("subscribed") { if case .subscribed = $0 { true } else { false } }
    }

    /// Waits for the second CONNACK and SUBACK, then for a message on `topic` to arrive.
    private func expectRecoveredWithSubscription(_ log: MosquittoEventLog, via broker: TestBroker, topic: String) async throws {
        try await log.waitForConnected(count: 2, timeout: .seconds(20))
        try await log.waitFor("subscription renewed", count: 2, timeout: .seconds(10)) {
            if case .subscribed = $0 { true } else { false }
        }
        try await expectDelivery(to: log, via: broker, topic: topic)
    }

    /// Publishes to `topic` from another client and waits for `log`'s client to receive it.
    private func expectDelivery(to log: MosquittoEventLog, via broker: TestBroker, topic: String) async throws {
        var configuration = broker.clientConfiguration(clientID: "sender")
        configuration.credentials = Self.watcher
        let sender = try MosquittoClient(configuration: configuration)
        let senderLog = MosquittoEventLog(sender)
        try sender.connect()
        try await senderLog.waitForConnected()
        let mid = try sender.publish(topic: topic, text: "hello", qos: .atLeastOnce)
        try await senderLog.waitForPublished(mid)
        try await log.waitFor("message on \(topic)", timeout: .seconds(10)) {
            if case .message(let message) = $0 { message.topic == topic } else { false }
        }
        await sender.disconnect()
    }
}

/// libmosquitto's own thread stops for good after a server DISCONNECT; this client must not.
@Suite("Server DISCONNECT")
struct ServerDisconnectTests {
    @Test(arguments: [UInt8(142), 139])  // session taken over, server shutting down
    func aServerDisconnectWithAReasonIsRecoveredWithTheSubscriptions(reason: UInt8) async throws {
        let server = try ScriptedMQTTServer(script: [.disconnect(reason: reason), .stay])
        defer { server.stop() }
        let configuration = MosquittoConfiguration(
            host: "127.0.0.1", port: Int(server.port), clientID: "server-disconnect", protocolVersion: .v5,
            will: LastWill(topic: "aurora/bridge/state", text: "offline"),
            reconnect: ReconnectPolicy(minimumDelay: .seconds(1), maximumDelay: .seconds(2))
        )
        let client = try MosquittoClient(configuration: configuration)
        let log = MosquittoEventLog(client)
        try client.subscribe("aurora/command/#")
        try client.connect()

        let lost = try await log.waitForDisconnected(timeout: .seconds(10))
        guard case .unexpected(let error) = lost else {
            Issue.record("a server DISCONNECT is unexpected, got \(lost)")
            return
        }
        #expect(error.reasonCode == ReasonCode(rawValue: Int(reason)))
        if reason == 142 { #expect(error.description.contains("same client id")) }

        try await log.waitForConnected(count: 2, timeout: .seconds(20))
        try await Deadline.until("the subscription renewed on the new connection", timeout: .seconds(10)) {
            server.subscribedFilters.count >= 2 && server.subscribedFilters[1] == ["aurora/command/#"]
        }
        #expect(client.isConnected)
        await client.disconnect()
    }
}

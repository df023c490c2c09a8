import AuroraTestSupport
import Foundation
@_spi(Testing) import Mosquitto
import Testing

@Suite("Last will")
struct WillTests {
    private func clientWithWill(_ broker: TestBroker, id: String) async throws -> (MosquittoClient, MosquittoEventLog) {
        var configuration = broker.clientConfiguration(clientID: id)
        configuration.will = LastWill(topic: "aurora/bridge/state", text: "offline", qos: .atLeastOnce, retain: true)
        configuration.keepAlive = .seconds(5)
        let client = try MosquittoClient(configuration: configuration)
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        let mid = try client.publish(topic: "aurora/bridge/state", text: "online", qos: .atLeastOnce, retain: true)
        try await log.waitForPublished(mid)
        return (client, log)
    }

    @Test func willIsPublishedWhenTheConnectionDiesUncleanly() async throws {
        let broker = try await TestBroker.start()
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/bridge/state")
        let (client, log) = try await clientWithWill(broker, id: "will-unclean")
        try await subscriber.waitForMessage(topic: "aurora/bridge/state") { $0.text == "online" }

        client.dropConnectionForTesting()  // TCP torn down, no DISCONNECT: like a cut cable
        let will = try await subscriber.waitForMessage(topic: "aurora/bridge/state") { $0.text == "offline" }
        #expect(!will.retain)  // delivered live; the broker also retains it:
        let late = try await TestSubscriber.connect(to: broker, filter: "aurora/bridge/state")
        #expect(try await late.waitForMessage(topic: "aurora/bridge/state").text == "offline")

        // And the client reconnects by itself.
        try await log.waitForConnected(count: 2, timeout: .seconds(6))
        await client.disconnect()
    }

    @Test func willOfAKilledProcessIsPublished() async throws {
        let tool = try #require(ExternalTool.find("mosquitto_sub"), "mosquitto_sub is not installed")
        let broker = try await TestBroker.start()
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/other/state")
        let child = try ChildProcess(
            executable: tool,
            arguments: [
                "-h", broker.host, "-p", "\(broker.port)", "-i", "will-child", "-t", "aurora/none",
                "--will-topic", "aurora/other/state", "--will-payload", "offline", "--will-qos", "1",
            ],
            outputPath: broker.directory.appendingPathComponent("child.log").path
        )
        try await Deadline.until("mosquitto_sub to connect") { broker.log().contains("as will-child") }
        child.send(SIGKILL)
        try await child.waitForExit()
        #expect(try await subscriber.waitForMessage(topic: "aurora/other/state").text == "offline")
    }

    @Test func willIsNotPublishedAfterACleanDisconnect() async throws {
        let broker = try await TestBroker.start()
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
        let (client, log) = try await clientWithWill(broker, id: "will-clean")
        await client.disconnect()
        #expect(try await log.waitForDisconnected() == .requested)
        // The broker has handled the DISCONNECT (and would have sent any will) once it logs it.
        try await Deadline.until("the broker to log the clean disconnect") {
            broker.log().contains("Client will-clean disconnected.")
        }
        let marker = try MosquittoClient(configuration: broker.clientConfiguration(clientID: "marker"))
        let markerLog = MosquittoEventLog(marker)
        try marker.connect()
        try await markerLog.waitForConnected()
        try await markerLog.waitForPublished(try marker.publish(topic: "aurora/marker", text: "end", qos: .atLeastOnce))
        try await subscriber.waitForMessage(topic: "aurora/marker")
        #expect(subscriber.messages(on: "aurora/bridge/state").map(\.text) == ["online"])
        await marker.disconnect()
    }
}

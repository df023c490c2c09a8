import AuroraTestSupport
import Mosquitto
import Testing

@Suite("Credentials")
struct AuthenticationTests {
    @Test(arguments: [ProtocolVersion.v3_1_1, .v5])
    func goodCredentialsConnect(version: ProtocolVersion) async throws {
        let broker = try await TestBroker.start(TestBroker.Options(users: ["aurora": "s3cret", "other": "x"]))
        var configuration = broker.clientConfiguration()
        configuration.protocolVersion = version
        configuration.credentials = Credentials(username: "aurora", password: "s3cret")
        let client = try MosquittoClient(configuration: configuration)
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        await client.disconnect()
    }

    @Test(arguments: [ProtocolVersion.v3_1_1, .v5])
    func badCredentialsAreRefusedWithAClearError(version: ProtocolVersion) async throws {
        let broker = try await TestBroker.start(TestBroker.Options(users: ["aurora": "s3cret"]))
        var configuration = broker.clientConfiguration()
        configuration.protocolVersion = version
        configuration.credentials = Credentials(username: "aurora", password: "wrong")
        let client = try MosquittoClient(configuration: configuration)
        let log = MosquittoEventLog(client)
        try client.connect()
        let event = try await log.waitFor("connection refused") {
            if case .connectionRefused = $0 { true } else { false }
        }
        guard case .connectionRefused(let error) = event else { return }
        #expect(error.code == .connectionRefused)
        #expect(error.reasonCode?.isAuthenticationFailure == true)
        #expect(error.description.contains("username and password"))
        #expect(!client.isConnected)
        await client.disconnect()
    }
}

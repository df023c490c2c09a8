import AuroraTestSupport
import Foundation
import Mosquitto
import Testing

@testable import AuroraBridge

/// The commands service against an in-memory connection, with a stand-in for the poller.
@Suite struct CommandServiceTests {
    private let commands = "[commands]\nenabled = true\n"

    private func service(_ fixture: ServiceFixture, requests: PollerRequests) -> CommandService {
        CommandService(
            client: fixture.output, routes: CommandRoutes(configuration: fixture.configuration), requests: requests,
            publisher: fixture.publisher, qos: .atLeastOnce, logger: fixture.logger)
    }

    private func command(_ topic: String, retain: Bool = false) -> MosquittoMessage {
        MosquittoMessage(topic: topic, payload: [], qos: .atLeastOnce, retain: retain)
    }

    @Test func itSubscribesToTheCommandTopicsWhileItRuns() async throws {
        let fixture = try ServiceFixture(commands)
        let routes = CommandRoutes(configuration: fixture.configuration)
        try await withRunning(service(fixture, requests: PollerRequests())) {
            try await Deadline.until("the subscriptions", timeout: .seconds(60)) { fixture.output.subscriptions == Set(routes.topics) }
        }
        #expect(fixture.output.subscriptions.isEmpty)
    }

    @Test func aCommandForAnInverterGoesThroughThePollerAndItsResultIsPublished() async throws {
        let fixture = try ServiceFixture(commands)
        let answerer = RequestAnswerer()
        let clock = SteppingClock(start: 1_782_000_000)
        let poller = Task { await answerer.serve(clock: clock) { request, _ in
            CommandResult(command: request.kind.command, inverter: request.inverter, ok: true, message: "set", clockErrorBefore: -3, clockErrorAfter: 0)
        } }
        defer { poller.cancel() }
        try await withRunning(service(fixture, requests: answerer.requests)) {
            try await Deadline.until("the subscriptions", timeout: .seconds(60)) { !fixture.output.subscriptions.isEmpty }
            fixture.output.receive(command("aurora/inverter/command/set_time"))
            try await Deadline.until("the result", timeout: .seconds(60)) { !fixture.messages(on: "aurora/inverter/command/result").isEmpty }
        }
        #expect(answerer.answered.map(\.kind) == [.setTime])
        let result = try #require(fixture.messages(on: "aurora/inverter/command/result").first)
        #expect(!result.retain)
        #expect(result.text == #"{"command":"set_time","inverter":"inverter","ok":true,"message":"set","clockErrorBefore":-3,"clockErrorAfter":0}"#)
    }

    @Test func republishSendsTheRetainedStatusAgainAndAnswersOnTheBridgeResultTopic() async throws {
        let fixture = try ServiceFixture(commands)
        try await withRunning(service(fixture, requests: PollerRequests())) {
            try await Deadline.until("the subscriptions", timeout: .seconds(60)) { !fixture.output.subscriptions.isEmpty }
            fixture.output.receive(command("aurora/bridge/command/republish"))
            try await Deadline.until("the result", timeout: .seconds(60)) { !fixture.messages(on: "aurora/bridge/command/result").isEmpty }
        }
        #expect(fixture.messages(on: "aurora/bridge/state").map(\.text) == ["online"])
        #expect(fixture.messages(on: "aurora/bridge/command/result").first?.text.contains(#""ok":true"#) == true)
    }

    @Test func aRetainedCommandIsIgnored() async throws {
        let fixture = try ServiceFixture(commands)
        let answerer = RequestAnswerer()
        try await withRunning(service(fixture, requests: answerer.requests)) {
            try await Deadline.until("the subscriptions", timeout: .seconds(60)) { !fixture.output.subscriptions.isEmpty }
            fixture.output.receive(command("aurora/inverter/command/read", retain: true))
            fixture.output.receive(command("aurora/bridge/command/republish"))
            try await Deadline.until("the republish result", timeout: .seconds(60)) { !fixture.messages(on: "aurora/bridge/command/result").isEmpty }
        }
        #expect(answerer.answered.isEmpty)
        #expect(fixture.messages(on: "aurora/inverter/command/result").isEmpty)
    }
}

import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

/// `aurora-bridge run` under a burst of SIGHUPs. It restarts the bridge many times a second, so
/// `make test` runs it on its own, after the parallel tests (it would eat into their time bounds).
@Suite struct ReloadBurstTests {
    /// Some SIGHUPs arrive while the bridge restarts for the one before, when SIGHUP's default
    /// action would end the process: each is acted on, none is fatal, and the bridge neither
    /// hangs (a reload cancels the run's MQTT event consumers while acknowledgements arrive)
    /// nor goes offline.
    @Test func aBurstOfSIGHUPsIsActedOnNeverFatalAndNeverHangs() async throws {
        var setup = try await DaemonTests.Setup()
        defer { setup.bus.stop() }
        setup.configuration.inverters = [.init(name: "attic", address: 2)]
        try setup.write()
        let subscriber = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/#")
        let bridge = try setup.start()
        try await subscriber.waitForMessage(topic: "aurora/attic/loop", timeout: .seconds(15))
        for _ in 0..<100 {
            bridge.process.send(SIGHUP)
            try await Task.sleep(for: .milliseconds(3))
        }
        try await Deadline.until("more than one reload", timeout: .seconds(10)) {
            bridge.log.components(separatedBy: "configuration re-read").count > 2 || bridge.process.hasExited
        }
        try #require(!bridge.process.hasExited, "a SIGHUP ended the bridge; log: \(bridge.log)")
        subscriber.clear()
        try await subscriber.waitForMessage(topic: "aurora/attic/loop", timeout: .seconds(15))
        #expect(
            !subscriber.messages.contains { $0.topic == "aurora/bridge/state" && $0.text == "offline" },
            "bridge log:\n\(bridge.log)")
        #expect(try await bridge.terminate() == 0, "log: \(bridge.log)")
    }
}

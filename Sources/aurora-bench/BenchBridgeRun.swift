import AuroraTestSupport
import Foundation

/// The real `aurora-bridge run` as a subprocess at a 1 s poll of `aurora-sim --always-awake
/// --baud 19200` (a subprocess on a pseudo-terminal), publishing to a local mosquitto watched by
/// a ``MessageRecorder`` on the loop topic: the set-up of the memory and CPU benchmarks.
enum BenchBridgeRun {
    /// Runs `body` with such a bridge (the `executable` given, `[http]` on at `statusPort` when
    /// given), then stops everything; a failure of `body` carries the end of the bridge's log.
    static func with<Output>(
        executable: String = BuiltProduct.path("aurora-bridge"), statusPort: UInt16? = nil,
        _ body: (_ bridge: BridgeProcess, _ recorder: MessageRecorder, _ loopTopic: String) async throws -> Output
    ) async throws -> Output {
        let directory = try TemporaryDirectory("bench-bridge")
        let broker = try await TestBroker.start()
        let simulator = try await SimulatorProcess(in: directory, baud: 19_200)
        var configuration = BenchBridgeConfiguration(
            brokerPort: broker.port, busPort: simulator.linkPath, database: directory.file("archive.sqlite"), pollInterval: 1)
        configuration.statusPort = statusPort
        let loopTopic = "aurora/\(configuration.inverterName)/loop"
        let recorder = try await MessageRecorder(host: broker.host, port: broker.port, filter: loopTopic)
        try configuration.write(to: directory.file("bridge.conf"))
        let bridge = try BridgeProcess(configPath: directory.file("bridge.conf"), logPath: directory.file("bridge.log"), executable: executable)
        let outcome: Result<Output, any Error>
        do {
            outcome = .success(try await body(bridge, recorder, loopTopic))
        } catch {
            outcome = .failure(BenchmarkError("\(error); bridge log: \(bridge.log.suffix(1500))"))
        }
        _ = try? await bridge.terminate()
        await recorder.close()
        await simulator.stop()
        try? await broker.stop()
        return try outcome.get()
    }
}

import AuroraBridge
import AuroraTestSupport
import Foundation
import Mosquitto

/// Fixtures shared by the archive's end-to-end tests: brokers that keep sessions across a
/// restart, subscribers with persistent sessions, reading published records, running the CLI.
enum ArchiveBench {
    /// A broker that saves its sessions in `directory` on stop and loads them on start, so a
    /// persistent subscriber's queued messages survive a restart.
    static func persistentBroker(in directory: TemporaryDirectory) async throws -> TestBroker {
        try await TestBroker.start(TestBroker.Options(extraConfiguration: [
            "persistence true", "persistence_location \(directory.path)/", "autosave_interval 0",
        ]))
    }

    /// A subscriber to `filter` with a persistent session (clean session off, QoS ≥ 1): what is
    /// published while it is away (during a broker restart) is queued for it.
    static func persistentSubscriber(to broker: TestBroker, filter: String, qos: QoS = .atLeastOnce) async throws -> TestSubscriber {
        var configuration = broker.clientConfiguration(clientID: "archive-subscriber-\(UUID().uuidString.prefix(8))")
        configuration.cleanSession = false
        return try await TestSubscriber.connect(configuration: configuration, filter: filter, qos: qos)
    }

    /// The archive summaries `subscriber` received as they were published (not replays of the
    /// retained message on subscribing), parsed, in order of arrival.
    static func liveRecords(_ subscriber: TestSubscriber, inverter: String = "roof") throws -> [FlatJSON] {
        try subscriber.messages(on: "aurora/\(inverter)/archive").filter { !$0.retain }.map { try FlatJSON($0.text) }
    }

    /// The `dateTime`s of ``liveRecords(_:inverter:)``.
    static func liveRecordTimes(_ subscriber: TestSubscriber, inverter: String = "roof") throws -> [Int64] {
        try liveRecords(subscriber, inverter: inverter).compactMap { $0.integer("dateTime") }
    }

    /// The loop packets `subscriber` received as they were published, parsed, in order.
    static func livePackets(_ subscriber: TestSubscriber, inverter: String = "roof") throws -> [FlatJSON] {
        try subscriber.messages(on: "aurora/\(inverter)/loop").filter { !$0.retain }.map { try FlatJSON($0.text) }
    }

    /// Runs `aurora-bridge` with `arguments` to completion.
    /// - Returns: The exit code (`nil` if a signal ended it) and everything it wrote to standard
    ///   output and standard error.
    static func run(_ arguments: [String], in directory: TemporaryDirectory, timeout: Duration = .seconds(30))
        async throws -> (status: Int32?, output: String)
    {
        let outputPath = directory.file("cli-\(UUID().uuidString.prefix(8)).out")
        let process = try ChildProcess(executable: BuiltProduct.path("aurora-bridge"), arguments: arguments, outputPath: outputPath)
        try await process.waitForExit(timeout: timeout)
        return (process.exitCode, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    /// Writes `configuration` to `bridge.conf` in `directory` and returns its path.
    static func write(_ configuration: TestBridgeConfiguration, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("bridge.conf")
        try configuration.text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The end of the archive interval holding `dateTime`: intervals are (end − length, end].
    static func intervalEnd(_ dateTime: Int64, length: Int64) -> Int64 {
        let remainder = ((dateTime % length) + length) % length
        return remainder == 0 ? dateTime : dateTime - remainder + length
    }
}

import AuroraBridge
import AuroraTestSupport
import Foundation

/// Part of benchmark 4: the daemon replaying a stored backlog at start. Fills a database with
/// `records` undelivered records of `inverters` inverters (one packet each, every field), starts
/// `aurora-bridge run` on it against a local mosquitto, and samples its RSS every half second
/// until every record is marked delivered.
struct ReplayBenchmark {
    /// Records in the backlog.
    let records: Int
    /// Inverters the records are spread over.
    let inverters: Int
    /// The archive interval, seconds.
    let interval: Int64
    /// Where the records start.
    let origin: Int64

    /// What the replay measured.
    struct Outcome {
        var records: Int
        var messagesPerRecord: Int
        var seconds: Double
        var fillSeconds: Double
        /// VmRSS samples during the replay, KiB.
        var residentKiB: [Int]
        /// VmHWM at the end, KiB.
        var peakKiB: Int
    }

    func run(in directory: TemporaryDirectory) async throws -> Outcome {
        let database = directory.file("backlog.sqlite")
        let fillStarted = HostClock.seconds()
        let messagesPerRecord = try await fill(database: database)
        let fillSeconds = HostClock.seconds() - fillStarted

        let broker = try await TestBroker.start()
        defer { Task { try? await broker.stop() } }
        let configuration = BenchBridgeConfiguration(brokerPort: broker.port, busPort: "/dev/null", database: database, pollInterval: 10)
        try configuration.write(to: directory.file("replay.conf"))
        let store = try ArchiveStore(path: database)
        let started = HostClock.seconds()
        let bridge = try BridgeProcess(configPath: directory.file("replay.conf"), logPath: directory.file("replay.log"))
        let probe = ProcessProbe(pid: bridge.process.pid)
        var resident: [Int] = []
        var peak = 0
        let outcome: Result<Void, any Error>
        do {
            try await Deadline.until("the backlog to be replayed", timeout: .seconds(900), interval: .milliseconds(500)) {
                let sample = try probe.sample()
                resident.append(sample.residentKiB)
                peak = sample.peakResidentKiB
                return try await store.undeliveredCount() == 0
            }
            outcome = .success(())
        } catch {
            outcome = .failure(BenchmarkError("\(error); bridge log: \(bridge.log.suffix(2_000))"))
        }
        let seconds = HostClock.seconds() - started
        _ = try? await bridge.terminate()
        try outcome.get()
        return Outcome(
            records: records, messagesPerRecord: messagesPerRecord, seconds: seconds, fillSeconds: fillSeconds,
            residentKiB: resident, peakKiB: peak)
    }

    /// Stores the backlog in bulk; returns the messages per record.
    private func fill(database: String) async throws -> Int {
        let store = try ArchiveStore(path: database)
        var archiver = Archiver(interval: try ArchiveInterval(seconds: interval))
        var generators = (1...inverters).map { PacketGenerator(inverter: "bench-\($0)", origin: Double(origin)) }
        var batch: [ArchiveRecord] = []
        var packets = 0
        var stored = 0
        var step: Int64 = 0
        while packets < records {
            for index in generators.indices where packets < records {
                batch += archiver.add(generators[index].packet(at: origin + step * interval + interval / 2))
                packets += 1
            }
            step += 1
            if batch.count >= 5_000 {
                stored += try await store.insert(contentsOf: batch)
                batch = []
            }
        }
        batch += archiver.close(through: origin + (step + 1) * interval)
        let messages = batch.last.map { $0.fieldPayloads(rename: { $0 }).count + 1 } ?? 0
        stored += try await store.insert(contentsOf: batch)
        guard stored == records else { throw BenchmarkError("\(stored) backlog records stored, \(records) expected") }
        return messages
    }
}

import AuroraBridge
import AuroraTestSupport
import Foundation
import GRDB
import Mosquitto

/// Benchmark 4: the archive. How many records per second the daemon's store + publish path
/// (``ArchiveDelivery``) sustains against a local mosquitto, and how large the SQLite database
/// grows per inverter-year at the default 300 s interval.
struct ArchiveBenchmark {
    /// Records pushed through the store + publish path.
    let records: Int
    /// Days of records stored for the size figure (365: a whole year, no extrapolation).
    let days: Int
    /// Records in the stored backlog the daemon replays at start.
    let backlog: Int
    /// The default archive interval, seconds.
    let interval: Int64 = 300
    /// The default poll interval, seconds: packets per record = interval / pollInterval.
    let pollInterval: Int64 = 10
    /// 2026-01-01 00:00 UTC: where the generated records start.
    let origin: Int64 = 1_767_225_600

    /// Records per inverter-year at the interval: 365 × 86 400 / 300 = 105 120.
    var recordsPerYear: Int { Int(365 * 86_400 / interval) }

    func run() async throws -> Section {
        let directory = try TemporaryDirectory("bench-archive")
        let delivery = try await measureDelivery(database: directory.file("delivery.sqlite"))
        let size = try await measureSize(database: directory.file("year.sqlite"))
        let replay = try await ReplayBenchmark(records: backlog, inverters: 5, interval: interval, origin: origin).run(in: directory)
        return report(delivery: delivery, size: size, replay: replay)
    }

    // MARK: - Store + publish

    private struct Delivery {
        var records: Int
        var messagesPerRecord: Int
        var seconds: Double
        var feedSeconds: Double
    }

    /// Feeds one packet per interval to ``ArchiveDelivery`` (each closes the previous interval),
    /// and times until every record is stored, published at QoS 1, acknowledged and marked
    /// delivered.
    private func measureDelivery(database: String) async throws -> Delivery {
        let broker = try await TestBroker.start()
        let text = BenchBridgeConfiguration(brokerPort: broker.port, busPort: "/dev/null", database: database, pollInterval: 10).text
        let configuration = try BridgeConfiguration.parse(text, file: "bench.conf", environment: [:])
        let store = try ArchiveStore(path: database)
        let client = try MosquittoClient(configuration: configuration.mosquittoConfiguration)
        let publisher = Publisher(client: client, configuration: configuration)
        let outbox = ArchiveOutbox(output: client)
        await outbox.attach(store: store, publisher: publisher)
        let delivery = ArchiveDelivery(archiver: Archiver(interval: try ArchiveInterval(seconds: interval)), store: store, outbox: outbox, inverters: Set(configuration.inverters.map(\.name)))
        let handler = Task { await outbox.run() }
        try client.connect()
        try await Deadline.until("the archive client to connect", timeout: .seconds(10)) { client.isConnected }

        var generator = PacketGenerator(inverter: configuration.inverters[0].name, origin: Double(origin))
        let packets = (0..<records).map { generator.packet(at: origin + Int64($0) * interval + interval / 2) }
        let lastEnd = origin + Int64(records) * interval
        let started = HostClock.seconds()
        for packet in packets { await delivery.add(packet) }
        await delivery.close(through: lastEnd)
        let fed = HostClock.seconds()
        try await Deadline.until("every archive record to be acknowledged", timeout: .seconds(600), interval: .milliseconds(5)) {
            try await store.undeliveredCount() == 0
        }
        let finished = HostClock.seconds()
        await client.disconnect()
        handler.cancel()
        try? await broker.stop()

        let stored = try await store.records()
        guard stored.count == records else {
            throw BenchmarkError("\(stored.count) archive records stored, \(records) expected")
        }
        return Delivery(
            records: records, messagesPerRecord: publisher.archiveMessages(stored[0]).count,
            seconds: finished - started, feedSeconds: fed - started)
    }

    // MARK: - Size

    private struct Size {
        var days: Int
        var records: Int
        var bytes: Int
        var seconds: Double
        /// Bytes of the records' `summary` column (binary), all records together.
        var summaryBytes: Int
    }

    /// Stores `days` days of records made by ``Archiver`` from packets every ``pollInterval``
    /// seconds, as the daemon would, then measures the database files.
    private func measureSize(database: String) async throws -> Size {
        let started = HostClock.seconds()
        let stored = try await fill(database: database)
        let seconds = HostClock.seconds() - started
        // The store is closed now: SQLite has checkpointed the WAL into the database file.
        let bytes = ["", "-wal", "-shm"].reduce(0) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: database + suffix)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
        var configuration = Configuration()
        configuration.readonly = true
        let summaryBytes = try await DatabaseQueue(path: database, configuration: configuration).read { db in
            try Int.fetchOne(db, sql: "SELECT SUM(length(summary)) FROM archive") ?? 0
        }
        return Size(days: days, records: stored, bytes: bytes, seconds: seconds, summaryBytes: summaryBytes)
    }

    /// Stores the records; returns how many.
    private func fill(database: String) async throws -> Int {
        let store = try ArchiveStore(path: database)
        var archiver = Archiver(interval: try ArchiveInterval(seconds: interval))
        var generator = PacketGenerator(inverter: "bench", origin: Double(origin))
        let end = origin + Int64(days) * 86_400
        var stored = 0
        for time in stride(from: origin + pollInterval, through: end, by: Int(pollInterval)) {
            for record in archiver.add(generator.packet(at: time)) {
                try await store.insert(record)
                stored += 1
            }
        }
        for record in archiver.close(through: end) {
            try await store.insert(record)
            stored += 1
        }
        return stored
    }

    // MARK: - Report

    private func report(delivery: Delivery, size: Size, replay: ReplayBenchmark.Outcome) -> Section {
        var section = Section("4. Archive: store + publish throughput, database size")
        let extrapolated = size.records != recordsPerYear
        section.definitions = [
            "Throughput: \(delivery.records) records through the daemon's ArchiveDelivery: each added packet closes the previous 300 s interval; its record is inserted into ArchiveStore (SQLite, WAL), its \(delivery.messagesPerRecord) messages (one per field, then the JSON summary) are published retained at QoS 1 to a local mosquitto, and the record is marked delivered when every PUBACK is in. Timed from the first packet to the last record marked delivered.",
            "Replay: \(replay.records) undelivered records of 5 inverters (\(replay.messagesPerRecord) messages each, \(replay.records * replay.messagesPerRecord) messages, far more than the 65 535 message ids) stored in bulk, then `aurora-bridge run` (this build) started on the database against a local mosquitto; timed from the start of the process until every record is marked delivered; VmRSS of /proc/<pid>/status sampled every 0.5 s meanwhile.",
            "Size: \(size.days) days of an always-awake inverter (every field in every record) at the default 300 s interval, each record built by Archiver from 30 packets (10 s poll) of the simulator's PV-day model, inserted with ArchiveStore.insert; the database files (main, -wal, -shm) measured after closing. "
                + (extrapolated
                    ? "Per year: extrapolated linearly from \(size.records) records to \(recordsPerYear)."
                    : "That is a whole year: \(size.records) records, nothing extrapolated."),
        ]
        let rate = Double(delivery.records) / delivery.seconds
        let perRecord = Double(size.bytes) / Double(max(size.records, 1))
        let summaryPerRecord = Double(size.summaryBytes) / Double(max(size.records, 1))
        let summaryShare = Double(size.summaryBytes) / Double(max(size.bytes, 1))
        let fieldsPerRecord = delivery.messagesPerRecord - 1
        section.add("store + publish throughput", Format.number(rate, decimals: 0, unit: "records/s"))
        section.add("  messages acknowledged", Format.number(rate * Double(delivery.messagesPerRecord), decimals: 0, unit: "msg/s"))
        section.add("  inserting alone (feed)", Format.number(Double(delivery.records) / delivery.feedSeconds, decimals: 0, unit: "records/s"))
        let resident = Statistics(replay.residentKiB.map(Double.init))
        section.add("backlog replay at start", Format.number(Double(replay.records) / replay.seconds, decimals: 0, unit: "records/s"))
        section.add("  messages acknowledged", Format.number(Double(replay.records * replay.messagesPerRecord) / replay.seconds, decimals: 0, unit: "msg/s"))
        section.add("  bridge RSS during replay", "median \(Format.megabytes(resident.p50 * 1024)), max \(Format.megabytes(resident.maximum * 1024)) (\(resident.count) samples), peak VmHWM \(Format.megabytes(kibibytes: replay.peakKiB))")
        section.add("  backlog stored in", Format.number(replay.fillSeconds, decimals: 1, unit: "s"))
        section.add("database per record", Format.number(perRecord, decimals: 0, unit: "bytes"))
        section.add("database per inverter-year", Format.megabytes(perRecord * Double(recordsPerYear)) + (extrapolated ? " (extrapolated)" : ""))
        section.add("database measured", "\(Format.megabytes(Double(size.bytes))) for \(size.records) records")
        section.add("  of which summary", "\(Format.number(summaryPerRecord, decimals: 0, unit: "bytes")) per record (\(Format.number(summaryShare * 100, decimals: 0)) %)")
        section.add("  generated and stored in", Format.number(size.seconds, decimals: 1, unit: "s"))
        section.notes.append("One inverter makes a record every 300 s; at this rate a day's backlog (288 records) is delivered in \(Format.number(288 / rate, decimals: 1, unit: "s")), a year's (\(recordsPerYear)) in \(Format.number(Double(recordsPerYear) / rate / 60, decimals: 1, unit: "min")).")
        section.notes.append("The `summary` column holds every field's sum/min/max/last/avg/count in the binary SummaryBlob form (about \(Format.number(summaryPerRecord / Double(max(fieldsPerRecord, 1)), decimals: 0)) bytes per field); the typed field columns and the row overhead are the other \(Format.number((1 - summaryShare) * 100, decimals: 0)) %. With keep_days = 365 (the default) the file settles at about the per-year size.")
        return section
    }
}

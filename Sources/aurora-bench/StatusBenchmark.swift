import AuroraTestSupport
import Foundation

/// Benchmark 5: what `[http]` costs. The real `aurora-bridge run` as a subprocess, three ways:
///
/// 1. Memory: at a 1 s poll of `aurora-sim --baud 19200` (as benchmark 3), RSS and threads with
///    `[http]` off and on (on: after a page, a status and a scrape were served), and, with
///    `--baseline-bridge`, of another build without `[http]` (today's) the same way.
/// 2. Scrape CPU: the bridge's CPU over `scrapes` sequential `GET /metrics`, less its CPU at rest.
/// 3. Load: at the latency benchmark's poll against a ``StampedSimulator``, the poll rate and
///    the publishing latency first at rest, then under `wrk` sending about 50 requests a second
///    (four connections, 75 ms after each answer, `/`, `/api/status` and `/metrics` in turn).
struct StatusBenchmark {
    /// Seconds of each memory sample and of each load phase.
    let duration: Int
    /// Scrapes for the CPU figure.
    let scrapes: Int
    /// The load phases' poll interval, seconds: 0.1 s by default, ten polls a second (the
    /// in-process simulator does not survive the many more polls of two minutes at 0.05 s).
    let pollInterval: Double
    /// Another `aurora-bridge` (a build without `[http]`) to measure the same way, or nil.
    let baseline: String?

    /// Memory and threads of one run, medians of the samples.
    struct Footprint {
        var residentKiB = 0
        var anonymousKiB = 0
        var threads = 0
        /// CPU seconds per scrape, when scrapes were measured.
        var scrapeCPU: Double?
    }

    /// Poll rate and latencies of one load phase.
    struct Phase {
        var packetsPerSecond = 0.0
        var json = Statistics([])
        var fields = Statistics([])
        /// What wrk said: requests per second and non-2xx answers.
        var requestsPerSecond: Double?
        var failedRequests = 0
    }

    func run() async throws -> Section {
        guard let wrk = ExternalTool.find("wrk") else { throw BenchmarkError("wrk is not installed; `make deps` installs it") }
        var today: Footprint?
        if let baseline { today = try await footprint(executable: baseline, http: false) }
        let off = try await footprint(executable: BuiltProduct.path("aurora-bridge"), http: false)
        let on = try await footprint(executable: BuiltProduct.path("aurora-bridge"), http: true)
        let (rest, load) = try await loadPhases(wrk: wrk)
        return report(today: today, off: off, on: on, rest: rest, load: load)
    }

    // MARK: - Memory and scrape CPU

    private func footprint(executable: String, http: Bool) async throws -> Footprint {
        let port = ReservedPort()
        return try await BenchBridgeRun.with(executable: executable, statusPort: http ? port.port : nil) { bridge, recorder, loopTopic in
            try await measure(bridge, recorder: recorder, loopTopic: loopTopic, statusPort: http ? port.port : nil)
        }
    }

    private func measure(_ bridge: BridgeProcess, recorder: MessageRecorder, loopTopic: String, statusPort: UInt16?) async throws -> Footprint {
        let probe = ProcessProbe(pid: bridge.process.pid)
        try await Deadline.until("the bridge's first packet on \(loopTopic)", timeout: .seconds(30), interval: .milliseconds(20)) {
            if bridge.process.hasExited { throw BenchmarkError("the bridge exited") }
            return recorder.count(on: loopTopic) > 0
        }
        if let statusPort {
            for path in ["/", "/api/status", "/metrics"] {
                let response = try await RawResponse.request("GET", path, port: statusPort)
                guard response.status == 200 else { throw BenchmarkError("GET \(path) answered \(response.status)") }
            }
        }
        let clock = ContinuousClock()
        let warmUp = min(10, max(2, duration / 3))
        try await clock.sleep(for: .seconds(warmUp))
        var samples: [ProcessProbe.Sample] = []
        let started = clock.now
        for second in 1...duration {
            try await clock.sleep(until: started + .seconds(second))
            if bridge.process.hasExited { throw BenchmarkError("the bridge exited") }
            samples.append(try probe.sample())
        }
        var footprint = Footprint(
            residentKiB: Int(Statistics(samples.map { Double($0.residentKiB) }).p50),
            anonymousKiB: Int(Statistics(samples.map { Double($0.anonymousKiB) }).p50),
            threads: samples.last?.threads ?? 0)
        if let statusPort { footprint.scrapeCPU = try await scrapeCPU(probe, port: statusPort) }
        return footprint
    }

    /// The bridge's CPU seconds per `GET /metrics`, less what it spends at rest meanwhile.
    private func scrapeCPU(_ probe: ProcessProbe, port: UInt16) async throws -> Double {
        let restStart = try probe.sample()
        try await ContinuousClock().sleep(for: .seconds(5))
        let restEnd = try probe.sample()
        let restRate = (restEnd.cpuSeconds - restStart.cpuSeconds) / (restEnd.time - restStart.time)
        let before = try probe.sample()
        for _ in 0..<scrapes {
            let response = try await RawResponse.request("GET", "/metrics", port: port)
            guard response.status == 200 else { throw BenchmarkError("GET /metrics answered \(response.status)") }
        }
        let after = try probe.sample()
        let busy = (after.cpuSeconds - before.cpuSeconds) - restRate * (after.time - before.time)
        return max(busy, 0) / Double(scrapes)
    }

    // MARK: - Load

    private func loadPhases(wrk: String) async throws -> (rest: Phase, load: Phase) {
        let directory = try TemporaryDirectory("bench-http-load")
        let broker = try await TestBroker.start()
        let simulator = try StampedSimulator(linkPath: directory.file("ttyAurora"))
        defer { simulator.stop() }
        let port = ReservedPort()
        var configuration = BenchBridgeConfiguration(
            brokerPort: broker.port, busPort: simulator.linkPath, database: directory.file("archive.sqlite"), pollInterval: pollInterval)
        configuration.statusPort = port.port
        let loopTopic = "aurora/\(configuration.inverterName)/loop"
        let recorder = try await MessageRecorder(host: broker.host, port: broker.port, filter: loopTopic + "/#")
        try configuration.write(to: directory.file("bridge.conf"))
        try Self.wrkScript.write(toFile: directory.file("status.lua"), atomically: true, encoding: .utf8)
        let bridge = try BridgeProcess(configPath: directory.file("bridge.conf"), logPath: directory.file("bridge.log"))
        do {
            try await Deadline.until("20 packets on \(loopTopic)", timeout: .seconds(60), interval: .milliseconds(50)) {
                if bridge.process.hasExited { throw BenchmarkError("the bridge exited") }
                return recorder.count(on: loopTopic) >= 20
            }
            let restStart = HostClock.nanoseconds()
            try await ContinuousClock().sleep(for: .seconds(duration))
            let loadStart = HostClock.nanoseconds()
            let output = try await ExternalTool.run(
                wrk, ["-t1", "-c4", "-d\(duration)s", "-s", directory.file("status.lua"), "http://127.0.0.1:\(port.port)/"])
            let loadEnd = HostClock.nanoseconds()
            try await bridge.terminate()
            await recorder.close()
            try? await broker.stop()
            let replies = simulator.lastReplies
            let rest = try phase(recorder.received, replies: replies, loopTopic: loopTopic, from: restStart, to: loadStart)
            var load = try phase(recorder.received, replies: replies, loopTopic: loopTopic, from: loadStart, to: loadEnd)
            load.requestsPerSecond = Self.number(after: "Requests/sec:", in: output)
            load.failedRequests = Int(Self.number(after: "Non-2xx or 3xx responses:", in: output) ?? 0)
                + Int(Self.number(after: "Socket errors:", in: output) ?? 0)
            return (rest, load)
        } catch {
            _ = try? await bridge.terminate()
            await recorder.close()
            throw BenchmarkError("\(error); bridge log: \(bridge.log.suffix(1500))")
        }
    }

    /// The packets whose JSON message arrived between `from` and `to` (HostClock ns).
    private func phase(
        _ arrivals: [MessageRecorder.Arrival], replies: [UInt64], loopTopic: String, from: UInt64, to: UInt64
    ) throws -> Phase {
        let window = arrivals.filter { (from..<to).contains($0.time) }
        let packets = window.count { $0.topic == loopTopic }
        let latencies = try LatencyBenchmark.match(window, to: replies, loopTopic: loopTopic, skip: 0, take: packets)
        return Phase(
            packetsPerSecond: Double(packets) / (Double(to - from) / 1e9), json: Statistics(latencies.json),
            fields: Statistics(latencies.fields))
    }

    /// `/`, `/api/status` and `/metrics` in turn, 75 ms after each answer: about 12 requests a
    /// second per connection, 50 on four.
    static let wrkScript = """
        local paths = { "/", "/api/status", "/metrics" }
        local next = 0
        request = function()
          next = next % #paths + 1
          return wrk.format("GET", paths[next])
        end
        delay = function() return 75 end

        """

    /// The first number after `label` in wrk's report.
    private static func number(after label: String, in output: String) -> Double? {
        guard let range = output.range(of: label) else { return nil }
        return Double(output[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber || $0 == "." })
    }

    // MARK: - Report

    private func report(today: Footprint?, off: Footprint, on: Footprint, rest: Phase, load: Phase) -> Section {
        var section = Section("6. Status server ([http]): memory, scrape CPU, load")
        section.definitions = [
            "Memory: aurora-bridge run (\(BuildConfiguration.name) build, subprocess) at a 1 s poll of aurora-sim --always-awake --baud 19200 → mosquitto on 127.0.0.1, otherwise the shipped defaults; VmRSS and RssAnon of /proc/<pid>/status sampled every second for \(duration) s after a warm-up, medians. [http] on: listening on 127.0.0.1 and having served /, /api/status and /metrics once.",
            "Scrape CPU: utime + stime of the bridge over \(scrapes) sequential GET /metrics (a new connection each), less its CPU at rest over the same time (measured for 5 s before), per scrape.",
            "Load: [http] on, poll_interval = \(pollInterval) s against a simulator without baud delay (as benchmark 2); \(duration) s at rest, then \(duration) s of wrk -t1 -c4 with 75 ms between requests (/, /api/status, /metrics in turn). Poll rate: loop packets received per second; latency: the last reply of a poll → the subscriber has the packet's JSON message (as benchmark 2).",
        ]
        if let today {
            section.add("RSS, today's build", Format.megabytes(kibibytes: today.residentKiB, decimals: 2))
            let difference = Double(off.residentKiB - today.residentKiB) * 1024
            section.add(
                "RSS, [http] off − today's", (difference >= 0 ? "+" : "") + Format.megabytes(difference, decimals: 2),
                target: "within 0.5 MB", met: abs(difference) <= 0.5e6)
            section.add("threads, today's / [http] off", "\(today.threads) / \(off.threads)", target: "no more", met: off.threads <= today.threads)
        }
        section.add("RSS, [http] off", Format.megabytes(kibibytes: off.residentKiB, decimals: 2) + " (anonymous \(Format.megabytes(kibibytes: off.anonymousKiB, decimals: 2)))")
        section.add("RSS, [http] on", Format.megabytes(kibibytes: on.residentKiB, decimals: 2) + " (anonymous \(Format.megabytes(kibibytes: on.anonymousKiB, decimals: 2)))")
        let added = Double(on.residentKiB - off.residentKiB) * 1024
        section.add("RSS, on − off", (added >= 0 ? "+" : "") + Format.megabytes(added, decimals: 2), target: "≤ 4 MB", met: added <= 4e6)
        section.add("threads, off / on", "\(off.threads) / \(on.threads)")
        if let cpu = on.scrapeCPU {
            section.add("CPU per /metrics scrape", Format.milliseconds(cpu, decimals: 3), target: "≤ 2 ms", met: cpu <= 0.002)
        }
        section.add("poll rate at rest / under load", Format.number(rest.packetsPerSecond, decimals: 2) + " / " + Format.number(load.packetsPerSecond, decimals: 2) + " packets/s",
                    target: "unchanged (±5 %)", met: abs(load.packetsPerSecond / max(rest.packetsPerSecond, 1e-9) - 1) <= 0.05)
        section.add("JSON message p99 at rest / under load", Format.milliseconds(rest.json.p99, decimals: 3) + " / " + Format.milliseconds(load.json.p99, decimals: 3),
                    target: "under load ≤ 5 ms or ≤ 1.2 × at rest", met: load.json.p99 <= max(0.005, rest.json.p99 * 1.2))
        section.add("field message p99 at rest / under load", Format.milliseconds(rest.fields.p99, decimals: 3) + " / " + Format.milliseconds(load.fields.p99, decimals: 3))
        section.add("JSON message p50 at rest / under load", Format.milliseconds(rest.json.p50, decimals: 3) + " / " + Format.milliseconds(load.json.p50, decimals: 3))
        section.add("wrk requests", Format.number(load.requestsPerSecond ?? 0, decimals: 1, unit: "per second") + ", \(load.failedRequests) failed")
        section.notes.append("\"Unchanged\": a poll rate within 5 %, and a p99 under load within the latency target of benchmark 2 (5 ms) or within 20 % of the p99 at rest, when the machine's own load already puts that above 5 ms. The tail of a loaded 2-core machine moves between runs by more than the server adds: compare several runs.")
        return section
    }
}

import AuroraLink
import AuroraProtocol
import AuroraTestSupport
import Foundation

/// Benchmark 5: the real `aurora-bridge run` (subprocess) polling two inverters every second on a
/// noisy line (`aurora-sim --baud 19200` with a share of replies dropped, with a bad CRC and
/// with stray bytes or cut short), with the learned reply timeout against the fixed one, in
/// the same run; then one full poll through a slow gateway (300 ± 100 ms per reply).
struct NoisyLineBenchmark {
    /// Seconds each run counts packets for, after both inverters published once.
    let window: Int
    /// Runs per fault level and timeout, alternating learned and fixed.
    let runs: Int
    /// Full polls timed per timeout through the slow gateway.
    let gatewayPolls: Int
    /// The share of replies hit by each of the three faults.
    let levels = [0.0, 0.02, 0.05, 0.10]
    /// The simulated line speed.
    let baud = 19_200
    /// The inverters on the bus.
    let inverters = [BenchBridgeConfiguration.Inverter(name: "east", address: 2), .init(name: "west", address: 3)]
    /// Packets per minute of both inverters the issue asks for at each fault level (learned timeout).
    let targets: [Double: Double] = [0.02: 90, 0.05: 60, 0.10: 40]
    /// The longest an inverter may go without a packet at 10 % of each fault, seconds.
    let longestGap = 10.0

    /// What one run measured.
    private struct Run {
        /// Packets of both inverters per minute.
        var perMinute: Double
        /// The longest time one inverter went without a packet in the window, seconds.
        var longestGap: Double
    }

    func run() async throws -> Section {
        var results: [Double: (learned: [Run], fixed: [Run])] = [:]
        for level in levels {
            for run in 0..<runs {
                let seed = UInt64(run + 1)
                let learned = try await measure(level: level, learnTimeout: true, seed: seed)
                let fixed = try await measure(level: level, learnTimeout: false, seed: seed)
                results[level, default: ([], [])].learned.append(learned)
                results[level, default: ([], [])].fixed.append(fixed)
            }
        }
        let gateway = try await measureGateway()
        return report(results, gateway: gateway)
    }

    /// One run: the bridge on a fresh simulator and broker, packets counted for ``window`` s.
    private func measure(level: Double, learnTimeout: Bool, seed: UInt64) async throws -> Run {
        let directory = try TemporaryDirectory("bench-noisy")
        let broker = try await TestBroker.start()
        let rate = String(level)
        let simulator = try await SimulatorProcess(
            in: directory, baud: baud, addresses: inverters.map(\.address),
            faults: ["--crc-error-rate", rate, "--drop-rate", rate, "--garbage-rate", rate, "--seed", String(seed)])
        var configuration = BenchBridgeConfiguration(
            brokerPort: broker.port, busPort: simulator.linkPath, database: directory.file("archive.sqlite"), pollInterval: 1)
        configuration.inverters = inverters
        configuration.learnTimeout = learnTimeout
        try configuration.write(to: directory.file("bridge.conf"))
        let recorder = try await MessageRecorder(host: broker.host, port: broker.port, filter: "aurora/+/loop")
        let bridge = try BridgeProcess(configPath: directory.file("bridge.conf"), logPath: directory.file("bridge.log"))
        let outcome: Result<Run, any Error>
        do {
            outcome = .success(try await count(recorder, bridge: bridge))
        } catch {
            outcome = .failure(BenchmarkError("\(error); bridge log: \(bridge.log.suffix(1500))"))
        }
        _ = try? await bridge.terminate()
        await recorder.close()
        await simulator.stop()
        try? await broker.stop()
        return try outcome.get()
    }

    /// Waits for a packet of each inverter, then counts packets for ``window`` s.
    private func count(_ recorder: MessageRecorder, bridge: BridgeProcess) async throws -> Run {
        let topics = inverters.map { "aurora/\($0.name)/loop" }
        try await Deadline.until("a packet of each inverter", timeout: .seconds(60), interval: .milliseconds(20)) {
            if bridge.process.hasExited { throw BenchmarkError("the bridge exited") }
            return topics.allSatisfy { recorder.count(on: $0) > 0 }
        }
        let start = HostClock.nanoseconds()
        try await Task.sleep(for: .seconds(window))
        let end = start + UInt64(window) * 1_000_000_000
        let inWindow = recorder.received.filter { topics.contains($0.topic) && $0.time >= start && $0.time < end }
        let gaps = topics.map { topic in
            let times = [start] + inWindow.filter { $0.topic == topic }.map(\.time) + [end]
            return zip(times.dropFirst(), times).map { Double($0 - $1) / 1e9 }.max() ?? Double(window)
        }
        return Run(perMinute: Double(inWindow.count) * 60 / Double(window), longestGap: gaps.max() ?? 0)
    }

    /// The time of a full poll through a gateway answering in 300 ± 100 ms, per timeout.
    private func measureGateway() async throws -> (learned: [Double], fixed: [Double]) {
        let directory = try TemporaryDirectory("bench-gateway")
        let simulator = try await SimulatorProcess(in: directory, baud: nil, faults: ["--latency-ms", "300:100", "--seed", "5"])
        defer { Task { await simulator.stop() } }
        var durations: (learned: [Double], fixed: [Double]) = ([], [])
        for learns in [true, false] {
            let link = Link(configuration: LinkConfiguration(port: .serial(path: simulator.linkPath), learnsReplyTimeout: learns))
            let inverter = Inverter(link: link, address: 2)
            _ = try await inverter.status()   // the first reply teaches the timer
            for _ in 0..<gatewayPolls {
                let started = ContinuousClock.now
                let poll = try await inverter.readAll()
                guard poll.failures.isEmpty else { throw BenchmarkError("a poll through the gateway left out \(poll.failures.count) readings") }
                let seconds = (ContinuousClock.now - started).seconds
                if learns { durations.learned.append(seconds) } else { durations.fixed.append(seconds) }
            }
            await link.close()
        }
        return durations
    }

    private func report(_ results: [Double: (learned: [Run], fixed: [Run])], gateway: (learned: [Double], fixed: [Double])) -> Section {
        var section = Section("5. A noisy line: two inverters at 1 s polls, learned against fixed reply timeout")
        section.definitions = [
            "Setup: aurora-bridge run (\(BuildConfiguration.name) build, subprocess, two inverters at poll_interval = 1 s, otherwise the shipped defaults: read_timeout = 2 s, max_tries = 3) → mosquitto on 127.0.0.1; aurora-sim --always-awake --baud 19200 with two inverters as a subprocess on a pseudo-terminal, each of --crc-error-rate, --drop-rate and --garbage-rate at the level shown.",
            "Packets: the JSON loop packets of both inverters received by a subscriber in \(window) s after each had published once, per minute; \(runs) run(s) per level and timeout (seeds 1…\(runs)), learned (learn_timeout = true, the default) and fixed (false) alternating. Shown as mean [min–max].",
            "Longest gap: the longest time one inverter went without a packet in a run's window.",
            "Gateway: one full read of the inverter (Inverter.readAll, 32 transactions) through aurora-sim --latency-ms 300:100 (replies after 200–400 ms), in process, after one state request; \(gatewayPolls) poll(s) per timeout.",
        ]
        for level in levels {
            guard let runs = results[level] else { continue }
            let learned = Statistics(runs.learned.map(\.perMinute))
            let fixed = Statistics(runs.fixed.map(\.perMinute))
            let label = "\(Int(level * 100)) % of each fault"
            if let target = targets[level] {
                section.add("\(label), learned", Self.spread(learned, "/min"), target: "≥ \(Int(target))/min", met: learned.minimum >= target)
            } else {
                section.add("\(label), learned", Self.spread(learned, "/min"))
            }
            section.add("\(label), fixed", Self.spread(fixed, "/min"))
            let gap = runs.learned.map(\.longestGap).max() ?? 0
            if level == levels.last {
                section.add("\(label), longest gap (learned)", Format.number(gap, decimals: 1, unit: "s"), target: "≤ \(Int(longestGap)) s", met: gap <= longestGap)
            } else {
                section.add("\(label), longest gap (learned)", Format.number(gap, decimals: 1, unit: "s"))
            }
            section.add("\(label), longest gap (fixed)", Format.number(runs.fixed.map(\.longestGap).max() ?? 0, decimals: 1, unit: "s"))
        }
        let learned = Statistics(gateway.learned)
        let fixed = Statistics(gateway.fixed)
        section.add("gateway poll, learned", Self.spread(learned, " s"))
        section.add("gateway poll, fixed", Self.spread(fixed, " s"))
        let ratio = fixed.mean > 0 ? learned.mean / fixed.mean : 0
        section.add("gateway poll, learned / fixed", Format.ratio(ratio), target: "≤ 1.05", met: ratio <= 1.05)
        section.notes.append("The healthy rate (0 %) is the bus's: about 60 packets per inverter per minute at 1 s polls. The fixed timeout waits the whole 2 s read timeout for every dropped reply; the learned one a few tens of milliseconds.")
        return section
    }

    /// `mean [min–max]unit` with one decimal.
    private static func spread(_ statistics: Statistics, _ unit: String) -> String {
        String(format: "%.1f [%.1f–%.1f]", statistics.mean, statistics.minimum, statistics.maximum) + unit
    }
}

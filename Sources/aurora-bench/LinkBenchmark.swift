import AuroraLink
import AuroraProtocol
import AuroraTestSupport

/// Benchmark 1: one full poll (``Inverter/readAll()``, 32 transactions) against `aurora-sim
/// --baud 19200 --always-awake` running as a subprocess on a pseudo-terminal.
///
/// Each poll is timed from the call to its return (`ContinuousClock`), and the CPU time of the
/// whole bench process (`getrusage(RUSAGE_SELF)`, user + system, every thread) is read before
/// and after each of ``runs`` runs of measured polls: the simulator runs in its own process, so
/// that is the client's cost alone. Then polls against a simulator that sends 3 % of its
/// replies 2.1 s late (past the default 2 s read timeout) show what realigning costs.
struct LinkBenchmark {
    /// How many polls are measured (after ``warmUpPolls`` that are not), over all runs.
    let polls: Int
    /// How many polls are measured under late replies.
    let latePolls: Int
    /// The measured polls are split into this many runs, each with its own CPU figure.
    let runs = 5
    /// The share of late replies and how late they are in the second part.
    let lateRate = 0.03, lateMilliseconds = 2100
    /// The simulated line speed.
    let baud = 19_200
    /// Polls made first and not measured: the port opening and first-use costs.
    let warmUpPolls = 3

    /// The time the 32 request/reply pairs take on the wire: 18 bytes of 10 bits each.
    var wireTime: Double { 32 * 180 / Double(baud) }

    /// What the healthy polls measured.
    private struct Healthy {
        var durations: [Double] = []
        /// Client CPU per poll in each run, and the user and system parts over all runs.
        var cpuPerPoll: [Double] = []
        var cpu = CPUTime(user: 0, system: 0)
        var transactions = 0
    }

    /// What the polls under late replies measured.
    private struct Late {
        var durations: [Double] = []
        var incomplete = 0
        var statistics = LinkStatistics()
    }

    func run() async throws -> Section {
        let directory = try TemporaryDirectory("bench-link")
        let healthy = try await withSimulator(in: directory, faults: []) { try await measureHealthy(port: $0) }
        let lateFaults = ["--late-rate", String(lateRate), "--late-ms", String(lateMilliseconds), "--seed", "7"]
        let late = try await withSimulator(in: directory, faults: lateFaults) { try await measureLate(port: $0) }
        return report(healthy, late)
    }

    private func withSimulator<T>(in directory: TemporaryDirectory, faults: [String], _ body: (String) async throws -> T) async throws -> T {
        let simulator = try await SimulatorProcess(in: directory, baud: baud, faults: faults)
        do {
            let result = try await body(simulator.linkPath)
            await simulator.stop()
            return result
        } catch {
            await simulator.stop()
            throw error
        }
    }

    /// A link to `port` at ``baud``, opened, and the inverter at address 2 on it.
    private func openInverter(port: String) async throws -> Inverter {
        let link = Link(configuration: LinkConfiguration(port: .serial(path: port), baudRate: baud))
        try await link.open()
        return Inverter(link: link, address: 2)
    }

    private func measureHealthy(port: String) async throws -> Healthy {
        let inverter = try await openInverter(port: port)
        let link = inverter.link
        for _ in 0..<warmUpPolls { _ = try await fullPoll(inverter) }
        let requestsBefore = await link.statistics.requests
        var measured = Healthy()
        measured.durations.reserveCapacity(polls)
        let clock = ContinuousClock()
        let perRun = max(1, polls / runs)
        for _ in 0..<runs {
            let cpuBefore = CPUTime.ofThisProcess()
            for _ in 0..<perRun {
                let started = clock.now
                _ = try await fullPoll(inverter)
                measured.durations.append(started.duration(to: clock.now).seconds)
            }
            let cpu = CPUTime.ofThisProcess().since(cpuBefore)
            measured.cpu = CPUTime(user: measured.cpu.user + cpu.user, system: measured.cpu.system + cpu.system)
            measured.cpuPerPoll.append(cpu.total / Double(perRun))
        }
        measured.transactions = await link.statistics.requests - requestsBefore
        await link.close()
        return measured
    }

    private func measureLate(port: String) async throws -> Late {
        let inverter = try await openInverter(port: port)
        let link = inverter.link
        var measured = Late()
        let clock = ContinuousClock()
        for _ in 0..<latePolls {
            let started = clock.now
            let snapshot = try? await inverter.readAll()
            measured.durations.append(started.duration(to: clock.now).seconds)
            if snapshot?.failures.isEmpty != true { measured.incomplete += 1 }
        }
        measured.statistics = await link.statistics
        await link.close()
        return measured
    }

    /// One poll that must be complete: every reading present, nothing retried.
    private func fullPoll(_ inverter: Inverter) async throws -> InverterSnapshot {
        let snapshot = try await inverter.readAll()
        guard snapshot.failures.isEmpty, snapshot.inverterTime != nil, snapshot.energy.count == EnergyPeriod.allCases.count else {
            throw BenchmarkError("a full poll came back incomplete: \(snapshot.failures.map(\.error))")
        }
        return snapshot
    }

    private func report(_ healthy: Healthy, _ late: Late) -> Section {
        let durations = Statistics(healthy.durations)
        let cpu = healthy.cpu
        let transactions = healthy.transactions
        let cpuRuns = Statistics(healthy.cpuPerPoll)
        let lateDurations = Statistics(late.durations)
        var section = Section("1. Link: one full poll (Inverter.readAll, 32 transactions) at \(baud) baud")
        section.definitions = [
            "Client: Link + Inverter in this process; server: aurora-sim --baud \(baud) --always-awake as a subprocess on a pseudo-terminal. The simulator delays each reply by the wire time of request and reply, 180 bits / \(baud) baud = \(Format.milliseconds(180 / Double(baud), decimals: 3)).",
            "Poll time: from calling readAll() to its return, over \(durations.count) polls after \(warmUpPolls) unmeasured warm-up polls. Wire-time limit: 32 × 180 bits / \(baud) baud = \(Format.milliseconds(wireTime, decimals: 0)); ratio = mean poll time / limit.",
            "Client CPU per poll: getrusage(RUSAGE_SELF) user + system of the whole bench process (every thread) over each of \(runs) runs of \(max(1, polls / runs)) polls, divided by the polls of the run; mean, min and max over the runs.",
            "Late replies: aurora-sim --late-rate \(lateRate) --late-ms \(lateMilliseconds) (past the default 2 s read timeout), \(lateDurations.count) polls; every late reply is thrown away and the link realigns with a probe of known answer before it goes on.",
        ]
        let ratio = durations.mean / wireTime
        let cpuPerPoll = cpuRuns.mean
        section.add("poll time, mean", Format.milliseconds(durations.mean))
        section.add("poll time, p50", Format.milliseconds(durations.p50))
        section.add("poll time, p99", Format.milliseconds(durations.p99))
        section.add("poll time, min / max", "\(Format.milliseconds(durations.minimum)) / \(Format.milliseconds(durations.maximum))")
        section.add("wire-time limit", Format.milliseconds(wireTime))
        section.add("mean / wire time", Format.ratio(ratio), target: "≤ 1.05×", met: ratio <= 1.05)
        section.add("p99 / wire time", Format.ratio(durations.p99 / wireTime))
        section.add("overhead per transaction", Format.milliseconds((durations.mean - wireTime) / 32, decimals: 3))
        section.add("client CPU per poll, mean of \(cpuRuns.count) runs", Format.milliseconds(cpuPerPoll, decimals: 3), target: "≤ 2 ms", met: cpuPerPoll <= 0.002)
        section.add("  runs min / max", "\(Format.milliseconds(cpuRuns.minimum, decimals: 3)) / \(Format.milliseconds(cpuRuns.maximum, decimals: 3))")
        section.add("  of which user / system", "\(Format.milliseconds(cpu.user / Double(max(durations.count, 1)), decimals: 3)) / \(Format.milliseconds(cpu.system / Double(max(durations.count, 1)), decimals: 3))")
        section.add("transactions per poll", Format.number(Double(transactions) / Double(max(durations.count, 1)), decimals: 1))
        section.add("3 % late: poll time, mean", Format.milliseconds(lateDurations.mean))
        section.add("3 % late: poll time, min / max", "\(Format.milliseconds(lateDurations.minimum)) / \(Format.milliseconds(lateDurations.maximum))")
        section.add("3 % late: realignments / incomplete polls", "\(late.statistics.realignments) / \(late.incomplete)")
        section.add("3 % late: late replies thrown away", "\(late.statistics.discardedFrames)")
        section.notes = [
            "For comparison: weewx-aurora ≈ 1.6 s per full poll (5.4× the wire time: a fixed 50 ms sleep before each read); a busy-polling C++ library ≈ 1.06× with ≈ 70 ms CPU per poll. This link waits in poll(2) for the reply bytes: \(Format.ratio(1.6 / durations.mean, decimals: 1)) faster than weewx-aurora, \(Format.ratio(0.070 / max(cpuPerPoll, 1e-9), decimals: 0)) less CPU than the busy poller.",
        ]
        return section
    }
}

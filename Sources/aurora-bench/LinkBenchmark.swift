import AuroraLink
import AuroraProtocol
import AuroraTestSupport

/// Benchmark 1: one full poll (``Inverter/readAll()``, 32 transactions) against `aurora-sim
/// --baud 19200 --always-awake` running as a subprocess on a pseudo-terminal.
///
/// Each poll is timed from the call to its return (`ContinuousClock`), and the CPU time of the
/// whole bench process (`getrusage(RUSAGE_SELF)`, user + system, every thread) is read before
/// and after the measured polls: the simulator runs in its own process, so that is the client's
/// cost alone.
struct LinkBenchmark {
    /// How many polls are measured (after ``warmUpPolls`` that are not).
    let polls: Int
    /// The simulated line speed.
    let baud = 19_200
    /// Polls made first and not measured: the port opening and first-use costs.
    let warmUpPolls = 3

    /// The time the 32 request/reply pairs take on the wire: 18 bytes of 10 bits each.
    var wireTime: Double { 32 * 180 / Double(baud) }

    func run() async throws -> Section {
        let directory = try TemporaryDirectory("bench-link")
        let simulator = try await SimulatorProcess(in: directory, baud: baud)
        let measured: (durations: [Double], cpu: CPUTime, transactions: Int)
        do {
            measured = try await measure(port: simulator.linkPath)
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
        return report(durations: Statistics(measured.durations), cpu: measured.cpu, transactions: measured.transactions)
    }

    private func measure(port: String) async throws -> (durations: [Double], cpu: CPUTime, transactions: Int) {
        let link = Link(configuration: LinkConfiguration(port: .serial(path: port), baudRate: baud))
        let inverter = Inverter(link: link, address: 2)
        try await link.open()
        for _ in 0..<warmUpPolls { _ = try await fullPoll(inverter) }
        let requestsBefore = await link.statistics.requests
        var durations: [Double] = []
        durations.reserveCapacity(polls)
        let clock = ContinuousClock()
        let cpuBefore = CPUTime.ofThisProcess()
        for _ in 0..<polls {
            let started = clock.now
            _ = try await fullPoll(inverter)
            durations.append(started.duration(to: clock.now).seconds)
        }
        let cpu = CPUTime.ofThisProcess().since(cpuBefore)
        let transactions = await link.statistics.requests - requestsBefore
        await link.close()
        return (durations, cpu, transactions)
    }

    /// One poll that must be complete: every reading present, nothing retried.
    private func fullPoll(_ inverter: Inverter) async throws -> InverterSnapshot {
        let snapshot = try await inverter.readAll()
        guard snapshot.failures.isEmpty, snapshot.inverterTime != nil, snapshot.energy.count == EnergyPeriod.allCases.count else {
            throw BenchmarkError("a full poll came back incomplete: \(snapshot.failures.map(\.error))")
        }
        return snapshot
    }

    private func report(durations: Statistics, cpu: CPUTime, transactions: Int) -> Section {
        var section = Section("1. Link: one full poll (Inverter.readAll, 32 transactions) at \(baud) baud")
        section.definitions = [
            "Client: Link + Inverter in this process; server: aurora-sim --baud \(baud) --always-awake as a subprocess on a pseudo-terminal. The simulator delays each reply by the wire time of request and reply, 180 bits / \(baud) baud = \(Format.milliseconds(180 / Double(baud), decimals: 3)).",
            "Poll time: from calling readAll() to its return, over \(durations.count) polls after \(warmUpPolls) unmeasured warm-up polls. Wire-time limit: 32 × 180 bits / \(baud) baud = \(Format.milliseconds(wireTime, decimals: 0)); ratio = mean poll time / limit.",
            "Client CPU per poll: getrusage(RUSAGE_SELF) user + system of the whole bench process (every thread) over the measured polls, divided by the number of polls.",
        ]
        let ratio = durations.mean / wireTime
        let cpuPerPoll = cpu.total / Double(max(durations.count, 1))
        section.add("poll time, mean", Format.milliseconds(durations.mean))
        section.add("poll time, p50", Format.milliseconds(durations.p50))
        section.add("poll time, p99", Format.milliseconds(durations.p99))
        section.add("poll time, min / max", "\(Format.milliseconds(durations.minimum)) / \(Format.milliseconds(durations.maximum))")
        section.add("wire-time limit", Format.milliseconds(wireTime))
        section.add("mean / wire time", Format.ratio(ratio), target: "≤ 1.05×", met: ratio <= 1.05)
        section.add("p99 / wire time", Format.ratio(durations.p99 / wireTime))
        section.add("overhead per transaction", Format.milliseconds((durations.mean - wireTime) / 32, decimals: 3))
        section.add("client CPU per poll", Format.milliseconds(cpuPerPoll, decimals: 3), target: "≤ 2 ms", met: cpuPerPoll <= 0.002)
        section.add("  of which user / system", "\(Format.milliseconds(cpu.user / Double(max(durations.count, 1)), decimals: 3)) / \(Format.milliseconds(cpu.system / Double(max(durations.count, 1)), decimals: 3))")
        section.add("transactions per poll", Format.number(Double(transactions) / Double(max(durations.count, 1)), decimals: 1))
        section.notes = [
            "For comparison: weewx-aurora ≈ 1.6 s per full poll (5.4× the wire time: a fixed 50 ms sleep before each read); a busy-polling C++ library ≈ 1.06× with ≈ 70 ms CPU per poll. This link waits in poll(2) for the reply bytes: \(Format.ratio(1.6 / durations.mean, decimals: 1)) faster than weewx-aurora, \(Format.ratio(0.070 / max(cpuPerPoll, 1e-9), decimals: 0)) less CPU than the busy poller.",
        ]
        return section
    }
}

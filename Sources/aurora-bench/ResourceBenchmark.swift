import AuroraTestSupport
import Foundation

/// Benchmark 3: the real `aurora-bridge run` as a subprocess, polling `aurora-sim --always-awake
/// --baud 19200` (a subprocess on a pseudo-terminal) every second and publishing to a local
/// mosquitto; its `/proc/<pid>` is sampled every second.
struct ResourceBenchmark {
    /// Seconds to sample, counted from the first packet.
    let duration: Int
    /// RSS target, bytes.
    let residentTarget = 25e6
    /// How much RSS may grow after warm-up and still count as flat, bytes.
    let flatTolerance = 1e6

    /// When the "after warm-up" reading is taken, seconds after the first packet.
    var warmUp: Int { min(10, max(1, duration / 3)) }

    func run() async throws -> Section {
        let (samples, mappings, proportionalKiB, packets) = try await BenchBridgeRun.with { bridge, recorder, loopTopic in
            try await sample(bridge, recorder: recorder, loopTopic: loopTopic)
        }
        return report(samples, mappings: mappings, proportionalKiB: proportionalKiB, packets: packets)
    }

    private func sample(_ bridge: BridgeProcess, recorder: MessageRecorder, loopTopic: String) async throws
        -> (samples: [ProcessProbe.Sample], mappings: [ProcessProbe.MappingUse], proportionalKiB: Int, packets: Int)
    {
        let probe = ProcessProbe(pid: bridge.process.pid)
        try await Deadline.until("the bridge's first packet on \(loopTopic)", timeout: .seconds(30), interval: .milliseconds(20)) {
            if bridge.process.hasExited { throw BenchmarkError("the bridge exited") }
            return recorder.count(on: loopTopic) > 0
        }
        let packetsBefore = recorder.count(on: loopTopic)
        var samples = [try probe.sample()]
        let clock = ContinuousClock()
        let started = clock.now
        for second in 1...duration {
            try await clock.sleep(until: started + .seconds(second))
            if bridge.process.hasExited { throw BenchmarkError("the bridge exited after \(second) s") }
            samples.append(try probe.sample())
        }
        let mappings = try probe.residentByMapping()
        return (samples, mappings, try probe.proportionalKiB(), recorder.count(on: loopTopic) - packetsBefore)
    }

    private func report(_ samples: [ProcessProbe.Sample], mappings: [ProcessProbe.MappingUse], proportionalKiB: Int, packets: Int) -> Section {
        var section = Section("3. Bridge memory and CPU: \(duration) s at a 1 s poll")
        section.definitions = [
            "Setup: aurora-bridge run (\(BuildConfiguration.name) build, subprocess, poll_interval = 1 s, otherwise the shipped defaults: QoS 1, 300 s archive, 60 s stats) → mosquitto on 127.0.0.1; aurora-sim --always-awake --baud 19200 as a subprocess on a pseudo-terminal.",
            "RSS: VmRSS of /proc/<pid>/status, sampled every second from the first packet received (start) for \(duration) s; after warm-up = \(warmUp) s after start; flat = the end within \(Format.megabytes(flatTolerance)) of the after-warm-up reading. MB = 10⁶ bytes.",
            "CPU: utime + stime of /proc/<pid>/stat over the sampled span, divided by its wall time: % of one core.",
        ]
        guard let first = samples.first, let last = samples.last else { return section }
        let afterWarmUp = samples[min(warmUp, samples.count - 1)]
        let maximum = samples.map(\.residentKiB).max() ?? 0
        let growth = Double(last.residentKiB - afterWarmUp.residentKiB) * 1024
        let cpuShare = (last.cpuSeconds - first.cpuSeconds) / max(last.time - first.time, 1e-9)
        section.add("RSS at start", Format.megabytes(kibibytes: first.residentKiB))
        section.add("RSS after warm-up", Format.megabytes(kibibytes: afterWarmUp.residentKiB))
        section.add("RSS at end", Format.megabytes(kibibytes: last.residentKiB))
        section.add("RSS max (sampled)", Format.megabytes(kibibytes: maximum), target: "≤ 25 MB", met: Double(maximum) * 1024 <= residentTarget)
        section.add("RSS peak (VmHWM, incl. start-up)", Format.megabytes(kibibytes: last.peakResidentKiB))
        section.add("RSS growth after warm-up", (growth >= 0 ? "+" : "") + Format.megabytes(growth, decimals: 2), target: "flat (≤ \(Format.megabytes(flatTolerance, decimals: 0)))", met: growth <= flatTolerance)
        section.add("  at end: anonymous / file-backed", "\(Format.megabytes(kibibytes: last.anonymousKiB)) / \(Format.megabytes(kibibytes: last.fileKiB))")
        section.add("  at end: PSS (shared pages split)", Format.megabytes(kibibytes: proportionalKiB))
        section.add("CPU", Format.number(cpuShare * 100, decimals: 2, unit: "% of a core"), target: "≤ 1 %", met: cpuShare <= 0.01)
        section.add("CPU time over the run", Format.milliseconds(last.cpuSeconds - first.cpuSeconds, decimals: 0))
        section.add("threads", "\(last.threads)")
        section.add("packets received", "\(packets) in \(Format.number(last.time - first.time, decimals: 1)) s")
        let top = mappings.prefix(8).map { "\($0.name) \(Format.megabytes(kibibytes: $0.residentKiB, decimals: 2))" }
        section.notes.append("Resident memory by mapping at the end (/proc/<pid>/smaps, largest first): " + top.joined(separator: ", ") + ".")
        section.notes.append("Anonymous memory (heap, thread stacks, relocated library data) is what the bridge itself allocates; file-backed pages are the executable's and the shared libraries' code and read-only data (the Swift runtime, Foundation with its ICU data, SQLite, OpenSSL), clean and shared with every other process mapping them, which PSS accounts for.")
        return section
    }
}

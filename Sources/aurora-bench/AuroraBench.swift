import ArgumentParser
import Foundation

/// `aurora-bench`: measures the link, the MQTT latency, the bridge's memory and CPU, and the
/// archive, and prints each figure next to its target with PASS or MISS.
///
/// Exits 0 when every measurement ran, whether or not the targets were met; non-zero only when
/// a measurement could not be made.
@main
struct AuroraBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aurora-bench",
        abstract: "Benchmark aurora-bridge: link poll time and CPU, MQTT latency, bridge RSS and CPU, archive throughput and size, packets on a noisy line, the status server's cost.",
        discussion: """
            Needs the release products built alongside (make bench does it) and mosquitto \
            installed (make deps). Runs the simulator, a broker and the bridge as subprocesses \
            on temporary files and ports.
            """
    )

    @Flag(help: "Short versions of everything: a smoke test of about a minute, not figures to quote.")
    var quick = false

    @Option(name: .customLong("only"), help: ArgumentHelp("Run only this benchmark (repeatable): link, mqtt, rss, archive or noisy.", valueName: "name"))
    var only: [BenchmarkKind] = []

    @Option(help: ArgumentHelp("Link: full polls to measure (default 50; quick 10).", valueName: "n"))
    var polls: Int?

    @Option(help: ArgumentHelp("MQTT latency: packets to measure (default 1000; quick 100).", valueName: "n"))
    var packets: Int?

    @Option(help: ArgumentHelp("MQTT latency: the bridge's poll interval in seconds (default 0.05).", valueName: "s"))
    var pollInterval: Double = 0.05

    @Option(help: ArgumentHelp("RSS/CPU: seconds to run the bridge at a 1 s poll (default 60; quick 10).", valueName: "s"))
    var duration: Int?

    @Option(help: ArgumentHelp("Noisy line: seconds each run counts packets for (default 30; quick 10).", valueName: "s"))
    var noisyWindow: Int?

    @Option(help: ArgumentHelp("Archive: records to push through store + publish (default 5000; quick 300).", valueName: "n"))
    var archiveRecords: Int?

    @Option(help: ArgumentHelp("Archive: days of 300 s records to store for the size figure; below 365 the size is extrapolated (default 30; quick 2).", valueName: "n"))
    var archiveDays: Int?

    @Option(help: ArgumentHelp("Archive: records of 5 inverters in the backlog the bridge replays at start (default 105120, an inverter-year of 300 s records; quick 2000).", valueName: "n"))
    var archiveBacklog: Int?

    @Option(help: ArgumentHelp("HTTP: seconds of each memory sample and each load phase (default 60; quick 10).", valueName: "s"))
    var httpDuration: Int?

    @Option(help: ArgumentHelp("HTTP: another aurora-bridge build without [http] (today's) whose RSS to compare.", valueName: "path"))
    var baselineBridge: String?

    func validate() throws {
        for (name, value) in [("--polls", polls), ("--packets", packets), ("--duration", duration), ("--noisy-window", noisyWindow), ("--archive-records", archiveRecords), ("--archive-days", archiveDays), ("--archive-backlog", archiveBacklog), ("--http-duration", httpDuration)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1.") }
        }
        guard pollInterval > 0, pollInterval.isFinite else { throw ValidationError("--poll-interval must be a positive number of seconds.") }
    }

    func run() async throws {
        let selected = only.isEmpty ? BenchmarkKind.allCases : BenchmarkKind.allCases.filter(only.contains)
        Console.line("aurora-bench (\(BuildConfiguration.name) build)\(quick ? " --quick: a smoke test, short runs, figures not representative" : "")")
        Console.line("host: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(Self.loadAverage)")
        Console.line()
        var sections: [Section] = []
        var failures: [(BenchmarkKind, String)] = []
        for kind in selected {
            Console.line("running \(kind.rawValue) …")
            do {
                let section = try await run(kind)
                sections.append(section)
                Console.line()
                Console.line(section.text)
            } catch {
                failures.append((kind, "\(error)"))
                Console.error("\(kind.rawValue): could not measure: \(error)")
                Console.line()
            }
        }
        Console.line(Self.summary(sections, failures: failures))
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private func run(_ kind: BenchmarkKind) async throws -> Section {
        switch kind {
        case .link:
            try await LinkBenchmark(polls: polls ?? (quick ? 10 : 50), latePolls: quick ? 4 : 10).run()
        case .mqtt:
            try await LatencyBenchmark(packets: packets ?? (quick ? 100 : 1000), pollInterval: pollInterval).run()
        case .rss:
            try await ResourceBenchmark(duration: duration ?? (quick ? 10 : 60)).run()
        case .archive:
            try await ArchiveBenchmark(records: archiveRecords ?? (quick ? 300 : 5000), days: archiveDays ?? (quick ? 2 : 30),
                backlog: archiveBacklog ?? (quick ? 2_000 : 105_120)).run()
        case .noisy:
            try await NoisyLineBenchmark(window: noisyWindow ?? (quick ? 10 : 30), runs: quick ? 1 : 3, gatewayPolls: quick ? 1 : 3).run()
        case .http:
            try await StatusBenchmark(
                duration: httpDuration ?? (quick ? 10 : 60), scrapes: quick ? 100 : 500, pollInterval: max(pollInterval, 0.1),
                baseline: baselineBridge).run()
        }
    }

    /// Every targeted figure in one table, then what could not be measured.
    private static func summary(_ sections: [Section], failures: [(BenchmarkKind, String)]) -> String {
        var summary = Section("Summary")
        for section in sections {
            summary.figures += section.targeted
        }
        let missed = summary.figures.filter { $0.met == false }.count
        summary.notes.append("\(summary.figures.count - missed) of \(summary.figures.count) targets met.")
        for (kind, reason) in failures {
            summary.notes.append("\(kind.rawValue): not measured: \(reason)")
        }
        return summary.text
    }

    private static var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?")
            .split(separator: " ").prefix(3).joined(separator: " ")
    }
}

import ArgumentParser

/// The benchmarks, as named by `--only`.
enum BenchmarkKind: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// One full poll over the link: time against the wire time, client CPU.
    case link
    /// Inverter reply to subscriber: MQTT latency.
    case mqtt
    /// The bridge's resident memory and CPU over a run.
    case rss
    /// Archive store + publish throughput and database size per inverter-year.
    case archive
    /// Packets per minute of two inverters on a noisy line, learned against fixed reply timeout.
    case noisy
    /// The status server's memory, scrape CPU and effect on polling under load.
    case http
}

import Logging
import ServiceLifecycle

/// Pings systemd's watchdog (`WATCHDOG=1`) every half `WatchdogSec` while the bridge is
/// healthy, and stops pinging, so that systemd restarts the bridge, while it is not.
///
/// Healthy means the poller finished a poll or a probe within its patience (see
/// ``WatchdogService/pollerPatience(configuration:)``), measured on the monotonic clock so a
/// step of the wall clock can neither hide a stall nor fake one.
struct WatchdogService: Service, CustomStringConvertible {
    let interval: Duration
    let clock: any WallClock
    let progress: BridgeProgress
    let patience: Double
    let notifier: SystemdNotifier
    let logger: Logger

    var description: String { "watchdog" }

    /// How long the poller may go without finishing a poll or probe: twice the longest wait
    /// between two visits (a poll interval or the probe back-off) plus the slowest possible
    /// full poll (40 requests, each with all its tries timing out).
    static func pollerPatience(configuration: BridgeConfiguration) -> Double {
        let slowestPoll = configuration.bus.readTimeout.seconds * Double(configuration.bus.maxTries) * 40
        let longestWait = max(configuration.bus.probeMax.seconds, configuration.inverters.map(\.pollInterval.seconds).max() ?? 0)
        return longestWait * 2 + slowestPoll
    }

    func run() async throws {
        try await runUntilGracefulShutdown {
            var complained = false
            while true {
                try await Task.sleep(for: interval)
                if let problem = problem() {
                    if !complained { logger.critical("\(problem); letting the watchdog restart the bridge") }
                    complained = true
                } else {
                    complained = false
                    notifier.notify("WATCHDOG=1")
                }
            }
        }
    }

    /// Why the bridge is not healthy, or nil when it is.
    private func problem() -> String? {
        let stalled = clock.monotonicNow() - progress.lastPollerProgress
        if stalled >= patience { return "the poller made no progress for \(Int(stalled)) s" }
        return nil
    }
}

import Logging
import Mosquitto
import ServiceLifecycle

/// Pings systemd's watchdog (`WATCHDOG=1`) every half `WatchdogSec` while the bridge is
/// healthy, and stops pinging, so that systemd restarts the bridge, while it is not.
///
/// What healthy means is ``BridgeHealth``'s decision. The pings are scheduled on the monotonic
/// clock.
struct WatchdogService: Service, CustomStringConvertible {
    let interval: Duration
    let clock: any WallClock
    let progress: BridgeProgress
    let health: BridgeHealth
    let client: any MQTTConnection
    /// Sends one `WATCHDOG=1`.
    let ping: @Sendable () -> Void
    let logger: Logger

    var description: String { "watchdog" }

    func run() async throws {
        try await runUntilGracefulShutdown {
            var complained = false
            while true {
                try await clock.sleep(untilMonotonic: clock.monotonicNow() + interval.seconds)
                if let problem = problem() {
                    if !complained { logger.critical("\(problem); letting the watchdog restart the bridge") }
                    complained = true
                } else {
                    complained = false
                    ping()
                }
            }
        }
    }

    private func problem() -> String? {
        health.problem(
            now: clock.monotonicNow(), lastPollerProgress: progress.lastPollerProgress,
            mqtt: client.health, mqttNow: .now)
    }
}

import Logging
import Mosquitto
import ServiceLifecycle

/// Keeps the clocks of the inverters with `clock_sync = "daily"` right: once a day while the
/// inverter is awake it asks the poller to compare the inverter clock with the host's (see
/// ``PollerRequest/Kind/syncClock(tolerance:host:)``), which sets it only when the error
/// exceeds the tolerance and the host clock is synchronised. Corrections and refusals are
/// published on the inverter's command result topic.
///
/// "Once a day" is 24 hours on the monotonic clock after a comparison, so a step of the host
/// clock never brings a second one forward. While the inverter is asleep (or the poller has not
/// heard from it yet) it asks again after ``retryInterval`` (or the poll interval, if longer);
/// such a refusal costs nothing on the bus.
struct ClockSyncService: Service, CustomStringConvertible {
    /// One inverter whose clock is kept.
    struct Kept: Sendable {
        let name: String
        let tolerance: Double
        let retry: Double
        let resultTopic: String
    }

    let inverters: [Kept]
    let requests: PollerRequests
    let clock: any WallClock
    let hostClock: @Sendable () -> HostClockState
    let output: any MQTTOutput
    let qos: QoS
    let logger: Logger

    /// The time between comparisons, in seconds.
    static let day = 86400.0
    /// The shortest wait before asking again about an inverter that was not compared.
    static let retryInterval = 60.0

    var description: String { "clock-sync" }

    /// The inverters of `configuration` with clock sync on.
    static func kept(_ configuration: BridgeConfiguration) -> [Kept] {
        let topics = configuration.topics
        return configuration.inverters.filter { $0.clockSync.mode == .daily }.map { inverter in
            Kept(
                name: inverter.name, tolerance: inverter.clockSync.tolerance,
                retry: max(retryInterval, inverter.pollInterval.seconds),
                resultTopic: topics.commandResult.render(prefix: topics.prefix, inverter: inverter.name, address: inverter.address))
        }
    }

    func run() async throws {
        guard !inverters.isEmpty else { return }
        try await runUntilGracefulShutdown { [self] in
            let start = clock.monotonicNow()
            var due = Array(repeating: start, count: inverters.count)
            while true {
                try await clock.sleep(untilMonotonic: due.min()!)
                for (index, inverter) in inverters.enumerated() where due[index] <= clock.monotonicNow() {
                    let result = await requests.submit(.syncClock(tolerance: inverter.tolerance, host: hostClock()), inverter: inverter.name)
                    let compared = result.clockErrorBefore != nil
                    due[index] = clock.monotonicNow() + (compared ? Self.day : inverter.retry)
                    if compared && (result.clockErrorAfter != nil || !result.ok) {
                        result.publish(to: output, topic: inverter.resultTopic, qos: qos, logger: logger)
                    } else if !compared {
                        logger.debug("inverter clock not compared; asking again later", metadata: [
                            "inverter": "\(inverter.name)", "reason": "\(result.message)",
                        ])
                    }
                }
            }
        }
    }
}

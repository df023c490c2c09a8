#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AuroraBridge
import AuroraLink
import Mosquitto

/// Reads a ``StatusSnapshot`` of a running bridge: its parts' counters and states, what the
/// ``InverterRecorder`` kept, the ``RecentProblems`` and the last stored events. Reading changes
/// nothing.
struct StatusCollector: Sendable {
    let bridge: RunningBridge
    let recorder: InverterRecorder
    let problems: RecentProblems

    /// The snapshot now.
    func snapshot() async -> StatusSnapshot {
        let configuration = bridge.configuration
        let time = bridge.clock.now()
        let day = LocalDay(containing: time)
        let link = await bridge.link.statistics
        let records = recorder.snapshot
        let inverters = configuration.inverters.map { settings in
            let record = records[settings.name]
            return StatusSnapshot.Inverter(
                name: settings.name, address: settings.address,
                model: record?.identity?.version.model ?? settings.model, serialNumber: record?.identity?.serialNumber,
                availability: record?.availability, lastPacket: record?.packet, status: record?.status,
                replyTimeout: link.replyTimeouts[UInt8(settings.address)].map(Self.seconds))
        }
        let plant = configuration.plantName.map { name in
            StatusSnapshot.Inverter(name: name, availability: records[name]?.availability, lastPacket: records[name]?.packet)
        }
        let names = inverters.map(\.name) + [plant?.name].compactMap { $0 }
        let health = bridge.client.health
        let shortestPoll = configuration.inverters.map { Self.seconds($0.pollInterval) }.min() ?? 1
        return StatusSnapshot(
            time: time, day: day, refreshInterval: max(shortestPoll, 1), plant: plant, inverters: inverters,
            uptime: bridge.clock.monotonicNow() - bridge.started,
            broker: "\(configuration.mqtt.host):\(configuration.mqtt.port)",
            connected: bridge.client.isConnected,
            connectionSince: (health.connectedSince ?? health.disconnectedSince).map(Self.unixTime),
            discovery: configuration.homeAssistant.discovery.rawValue, topicPrefix: configuration.topics.prefix,
            counters: bridge.counters.value, link: link, busUtilization: bridge.busUtilization.value,
            undelivered: await bridge.archive.backlog(), delivery: await bridge.outbox.status,
            recordsToday: try? await bridge.store.recordCount(inverters: names, from: day.start + 1, to: day.end),
            problems: problems.newestFirst,
            events: try? await bridge.store.events(limit: StatusSnapshot.eventCount).reversed())
    }

    /// The Unix time of a monotonic instant (the MQTT client's clock is the host's).
    private static func unixTime(_ instant: ContinuousClock.Instant) -> Double {
        Date().timeIntervalSince1970 - seconds(ContinuousClock.now - instant)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

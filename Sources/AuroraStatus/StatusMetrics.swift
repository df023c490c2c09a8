import AuroraBridge
import AuroraProtocol
import Prometheus

/// `GET /metrics`: a snapshot in the Prometheus text format, written by swift-prometheus from a
/// registry filled for this one scrape (so an inverter that stopped answering has no series
/// left behind).
///
/// An asleep or unreachable inverter keeps `aurora_inverter_up` (0) and its last reading's time;
/// its measurements are absent, not 0, so graphs show a gap. Every name follows Prometheus'
/// rules (`promtool check metrics` is silent): base units in the name, `_total` on counters,
/// labels `inverter` and `plant`.
struct StatusMetrics {
    /// The values.
    let snapshot: StatusSnapshot

    /// The exposition, UTF-8.
    var text: [UInt8] {
        let registry = PrometheusCollectorRegistry()
        bridge(registry)
        for inverter in snapshot.inverters {
            let labels = [("inverter", inverter.name)]
            let up = inverter.availability == .online
            registry.gauge("aurora_inverter_up", "1 while the inverter answers, else 0 (asleep or unreachable).", labels: labels, up ? 1 : 0)
            if let lastPacket = inverter.lastPacket {
                registry.gauge("aurora_inverter_last_reading_timestamp_seconds", "When the inverter was last read, as Unix time.", labels: labels, Double(lastPacket.dateTime))
            }
            if let timeout = inverter.replyTimeout {
                registry.gauge("aurora_inverter_reply_timeout_seconds", "The reply timeout the bus learned for the inverter.", labels: labels, timeout)
            }
            if let packet = inverter.current { measurements(packet, LoopMetric.inverter, labels: labels, into: registry) }
            if up, let status = inverter.status {
                registry.gauge("aurora_inverter_global_state", "The inverter's global state code (docs/status-page.md).", labels: labels, Double(status.global.code))
                registry.gauge("aurora_inverter_alarm", "The inverter's alarm code; 0 is no alarm.", labels: labels, Double(status.alarm.code))
            }
        }
        if let plant = snapshot.plant {
            let labels = [("plant", plant.name)]
            registry.gauge("aurora_plant_up", "1 while any inverter of the plant answers, else 0.", labels: labels, plant.availability == .online ? 1 : 0)
            if let packet = plant.current { measurements(packet, LoopMetric.plant, labels: labels, into: registry) }
        }
        bus(registry)
        archive(registry)
        return registry.emitToBuffer()
    }

    /// The packet's fields that have a metric in `metrics`.
    private func measurements(
        _ packet: LoopPacket, _ metrics: [LoopMetric], labels: [(String, String)], into registry: PrometheusCollectorRegistry
    ) {
        for metric in metrics {
            guard let value = packet[metric.field]?.published else { continue }
            let scaled = value * metric.scale
            if metric.isCounter {
                registry.counter(metric.name, metric.help, labels: labels + metric.labels, scaled)
            } else {
                registry.gauge(metric.name, metric.help, labels: labels + metric.labels, scaled)
            }
        }
    }

    private func bridge(_ registry: PrometheusCollectorRegistry) {
        registry.gauge("aurora_bridge_info", "Always 1; the bridge's version.", labels: [("version", BridgeVersion.current)], 1)
        registry.gauge("aurora_bridge_uptime_seconds", "Time since the bridge started (or last re-read its configuration).", snapshot.uptime)
        registry.gauge("aurora_mqtt_connected", "1 while the broker connection is up, else 0.", snapshot.connected ? 1 : 0)
        counter(registry, "aurora_mqtt_reconnects_total", "Connections to the broker after the first.", snapshot.counters.reconnects)
    }

    private func bus(_ registry: PrometheusCollectorRegistry) {
        let link = snapshot.link
        let counters = snapshot.counters
        counter(registry, "aurora_polls_total", "Polls of an inverter, by outcome.", counters.pollsOK, labels: [("outcome", "ok")])
        counter(registry, "aurora_polls_total", "Polls of an inverter, by outcome.", counters.pollsFailed, labels: [("outcome", "failed")])
        let leftOut = "Readings left out, by reason (an energy counter that went down, a NaN or infinite measure)."
        counter(registry, "aurora_readings_left_out_total", leftOut, counters.implausibleReadings, labels: [("reason", "implausible")])
        counter(registry, "aurora_readings_left_out_total", leftOut, counters.nonFiniteReadings, labels: [("reason", "non_finite")])
        if let duration = counters.lastPollDuration {
            registry.gauge("aurora_last_poll_duration_seconds", "How long the last successful poll took.", duration)
        }
        counter(registry, "aurora_bus_requests_total", "Requests written to the bus, retries included.", link.requests)
        counter(registry, "aurora_bus_timeouts_total", "Requests that got no reply in time.", link.timeouts)
        counter(registry, "aurora_bus_crc_errors_total", "Replies with a wrong checksum.", link.crcErrors)
        counter(registry, "aurora_bus_short_replies_total", "Replies that stopped short of 8 bytes.", link.shortReplies)
        counter(registry, "aurora_bus_resynchronisations_total", "Times stray bytes were skipped to find a reply.", link.resynchronisations)
        counter(registry, "aurora_bus_realignments_total", "Times the stream was proven aligned again after a fault.", link.realignments)
        counter(registry, "aurora_bus_port_reopens_total", "Times the serial port or TCP connection was reopened.", link.reopens)
        registry.counter("aurora_bus_busy_seconds_total", "Time the bus spent in transactions.", link.busySeconds)
        if let utilization = snapshot.busUtilization {
            registry.gauge("aurora_bus_utilization_ratio", "Share of the last stats interval the bus was busy.", utilization.double)
        }
    }

    private func archive(_ registry: PrometheusCollectorRegistry) {
        let delivery = snapshot.delivery
        if let undelivered = snapshot.undelivered {
            registry.gauge("aurora_archive_undelivered_records", "Archive records not yet acknowledged by the broker.", Double(undelivered))
        }
        registry.gauge("aurora_archive_queued_records", "Archive records waiting in memory for the database.", Double(delivery.queued))
        registry.gauge("aurora_archive_in_flight_records", "Archive records published and not yet acknowledged.", Double(delivery.inFlight))
        registry.gauge("aurora_archive_degraded", "1 while the archive database fails and records wait in memory, else 0.", delivery.degraded ? 1 : 0)
        counter(registry, "aurora_archive_dropped_records_total", "Archive records dropped because the memory queue was full.", delivery.dropped)
    }
    private func counter(
        _ registry: PrometheusCollectorRegistry, _ name: String, _ help: String, _ value: Int, labels: [(String, String)] = []
    ) {
        registry.counter(name, help, labels: labels, Double(value))
    }
}

extension PrometheusCollectorRegistry {
    /// Registers the gauge `name` (its full name, unit included) with `labels`, set to `value`.
    fileprivate func gauge(_ name: String, _ help: String, labels: [(String, String)] = [], _ value: Double) {
        makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels).set(to: value)
    }

    /// Registers the counter `name` (its full name, ending in `_total`) with `labels`, at `value`.
    fileprivate func counter(_ name: String, _ help: String, labels: [(String, String)] = [], _ value: Double) {
        makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
            .increment(by: value)
    }
}

extension FieldValue {
    /// The value as the `Double` its published text reads as: a float's shortest text, as on
    /// MQTT (`494.79935`, not the float's exact binary value `494.799346923828125`).
    fileprivate var published: Double { Double(description) ?? double }
}

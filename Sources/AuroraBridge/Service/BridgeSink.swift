
/// Where the poller's events go in the running bridge: excluded fields are dropped, then the
/// publisher and the archive get what they need, and the counters are updated.
struct BridgeSink: PollerSink {
    let configuration: BridgeConfiguration
    let publisher: Publisher
    let archive: ArchiveDelivery
    let counters: Locked<BridgeCounters>
    let progress: @Sendable () -> Void
    /// Where the inverters' events are recorded (not the plant's: it has none of its own).
    var events: EventRecorder?

    func handle(_ event: PollerEvent) async {
        if event.inverter != configuration.plantName { await events?.handle(event) }
        switch event {
        case .packet(var packet):
            packet.fields.removeAll { configuration.fields.publishedName(of: $0.name) == nil }
            await publisher.publish(packet)
            await archive.add(packet)
        case .availability(let inverter, let availability):
            await publisher.publish(availability, for: inverter)
        case .status(let inverter, let status):
            await publisher.publish(status, for: inverter)
        case .identity(let inverter, let identity):
            await publisher.publish(identity, for: inverter)
        case .pollFinished(_, let succeeded, let duration):
            counters.withLock { counters in
                if succeeded {
                    counters.pollsOK += 1
                    counters.lastPollDuration = duration
                } else {
                    counters.pollsFailed += 1
                }
            }
            progress()
        case .lastAlarms, .clockCorrected:
            break  // events only
        case .leftOut(_, let readings):
            let implausible = readings.count { $0.reason.isImplausible }
            counters.withLock { counters in
                counters.implausibleReadings += implausible
                counters.nonFiniteReadings += readings.count - implausible
            }
        }
    }
}

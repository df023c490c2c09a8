/// Passes the poller's events on and adds the plant's (see ``PlantAggregator``), which then go
/// the way of an inverter's: field exclusions, the publisher, the archive.
struct PlantSink: PollerSink {
    let base: any PollerSink
    let plant: Locked<PlantAggregator>

    func handle(_ event: PollerEvent) async {
        for event in plant.withLock({ $0.handle(event) }) { await base.handle(event) }
    }
}

import ServiceLifecycle

/// The ``ArchiveCloser`` as a service (intervals closed on time whatever the wall clock does,
/// delivered records pruned daily). On shutdown it saves the open intervals so that a restart
/// resumes them; on a reload it hands them to the next run through the ``BrokerSession``
/// instead, without touching the database.
///
/// It is shut down after the poller (the group stops services in reverse order), so no packet
/// arrives after the open intervals were saved.
struct ArchiveCloserService: Service, CustomStringConvertible {
    let archive: ArchiveDelivery
    let clock: any WallClock
    /// How long after a boundary the interval is closed: the longest poll interval plus one
    /// request's worst case, plus 1 s. Packets are stamped in whole seconds rounded down, so a
    /// poll that starts up to a second after the boundary still belongs to the closing interval.
    let grace: Double
    let keepDays: Int
    /// Where the open intervals go on a reload (in memory, to the next run).
    let session: BrokerSession
    let reloading: Locked<Bool>

    var description: String { "archive" }

    /// The grace period for `configuration`.
    static func grace(configuration: BridgeConfiguration) -> Double {
        (configuration.inverters.map(\.pollInterval.seconds).max() ?? 10)
            + configuration.bus.readTimeout.seconds * Double(configuration.bus.maxTries) + 1
    }

    func run() async throws {
        let closer = ArchiveCloser(archive: archive, clock: clock, grace: grace, keepDays: keepDays)
        try await runUntilGracefulShutdown { try await closer.run() }
        if reloading.value {
            session.handOver(openIntervals: await archive.handOverOpenIntervals())
        } else {
            await archive.saveOpenIntervals()
        }
    }
}

import Mosquitto

/// What outlives one run of the bridge: the MQTT client and the archive's delivery window
/// (``ArchiveOutbox``), owned by whoever creates the session.
///
/// `aurora-bridge run` creates one, connects it and keeps it across SIGHUP reloads, so the
/// connection stays up (a new connection with the same client id would take the session over,
/// and the broker would publish the old connection's will) and the records in flight stay in
/// flight instead of being published again. A new session is made only when the broker
/// settings change. The outbox's event loop is the session's ``service``: it runs in the group
/// that holds the session, beside the bridge.
public final class BrokerSession: Sendable {
    /// The MQTT client.
    public let client: MosquittoClient
    /// The archive's delivery window on that client.
    public let outbox: ArchiveOutbox
    /// The archive intervals open when a run stopped for a reload, for the next run.
    private let openIntervals = Locked<[IntervalAccumulator]>([])
    /// The events a run stopping for a reload could not store yet, for the next run.
    private let waitingEvents = Locked<[BridgeEvent]>([])

    /// A session for `configuration`'s broker; not connected yet.
    public init(configuration: BridgeConfiguration) throws {
        client = try MosquittoClient(configuration: configuration.mosquittoConfiguration)
        outbox = ArchiveOutbox(
            output: client, records: configuration.archive.window, queueLimit: configuration.archive.queueLimit)
    }

    /// The outbox's event handling, for the group that holds the session: acknowledgements are
    /// read for as long as the client lives, not just during one run of the bridge.
    public var service: ArchiveOutboxService { ArchiveOutboxService(outbox: outbox) }

    /// Starts connecting (in the background, with the client's back-off).
    public func connect() throws {
        try client.connect()
    }

    /// Writes what the outbox still holds in memory and disconnects cleanly; the session's
    /// ``service`` then handles the last acknowledgements (marking their records delivered)
    /// and ends.
    public func close() async {
        await outbox.flush()
        await client.disconnect()
    }

    /// Keeps the open archive intervals of a run stopping for a reload.
    public func handOver(openIntervals intervals: [IntervalAccumulator]) {
        openIntervals.withLock { $0 = intervals }
    }

    /// The open archive intervals handed over by the previous run (once; then empty).
    public func takeOpenIntervals() -> [IntervalAccumulator] {
        openIntervals.withLock { intervals in
            defer { intervals = [] }
            return intervals
        }
    }

    /// Keeps the events a run stopping for a reload could not store yet.
    public func handOver(events: [BridgeEvent]) {
        waitingEvents.withLock { $0 = events }
    }

    /// The events handed over by the previous run (once; then empty).
    public func takeEvents() -> [BridgeEvent] {
        waitingEvents.withLock { events in
            defer { events = [] }
            return events
        }
    }
}

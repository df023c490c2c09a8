import AuroraLink
import AuroraProtocol
import Mosquitto
import ServiceLifecycle

/// The parts of one run of a ``BridgeService`` that a ``BridgeAddOn`` may read: the status
/// server shows them. Reading changes nothing; an add-on must not publish, poll or write through
/// them.
public struct RunningBridge: Sendable {
    /// The configuration in force.
    public let configuration: BridgeConfiguration
    /// Where the bridge's time comes from.
    public let clock: any WallClock
    /// When this run started, on the clock's monotonic timeline.
    public let started: Double
    /// The bus: its counters are ``AuroraLink/Link/statistics``.
    public let link: Link
    /// The bridge's own counters (polls, reconnects, readings left out).
    public let counters: Locked<BridgeCounters>
    /// The archive: open intervals and the backlog.
    public let archive: ArchiveDelivery
    /// The archive's delivery window: degraded or not, records queued in memory.
    public let outbox: ArchiveOutbox
    /// The MQTT client: connected or not, since when (``Mosquitto/MosquittoClient/health``).
    public let client: MosquittoClient
    /// The archive database, for reading records.
    public let store: ArchiveStore
    /// `busUtilization` as last published on the stats topic; nil before the first stats interval.
    public let busUtilization: Locked<FieldValue?>
}

/// Something the caller of a ``BridgeService`` adds to each of its runs (the HTTP status server
/// is one): an observer of the poller's events and services that run with the bridge's own,
/// started after them and stopped before them.
public protocol BridgeAddOn: Sendable {
    /// What to add to the run of `bridge`; ``BridgeAttachment/none`` to add nothing.
    func attach(to bridge: RunningBridge) -> BridgeAttachment
}

/// What a ``BridgeAddOn`` adds to one run of the bridge.
public struct BridgeAttachment: Sendable {
    /// Sees every event of the poller (the plant's too) after the publisher and the archive.
    public var observer: (any PollerSink)?
    /// Run in the bridge's service group, after its own services.
    public var services: [any Service]

    /// Adds `observer` and `services`.
    public init(observer: (any PollerSink)?, services: [any Service]) {
        self.observer = observer
        self.services = services
    }

    /// Adds nothing.
    public static let none = Self(observer: nil, services: [])
}

/// Hands every poller event to `base`, then to each observer.
struct ObservedSink: PollerSink {
    let base: any PollerSink
    let observers: [any PollerSink]

    func handle(_ event: PollerEvent) async {
        await base.handle(event)
        for observer in observers { await observer.handle(event) }
    }
}

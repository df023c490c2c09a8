import Logging

/// Where events are kept: the archive database (``ArchiveStore``), or a stand-in in tests.
public protocol EventStore: Sendable {
    /// Stores an event, not yet delivered; returns its place in the log.
    func insert(_ event: BridgeEvent) async throws(ArchiveStoreError) -> Int64
    /// The last-alarms list of an inverter as last stored, or nil.
    func lastAlarms(serialNumber: String) async throws(ArchiveStoreError) -> [UInt8]?
    /// Stores an inverter's last-alarms list as just read.
    func saveLastAlarms(_ codes: [UInt8], serialNumber: String) async throws(ArchiveStoreError)
}

extension ArchiveStore: EventStore {
    /// Stores `event` with its published payload, not yet delivered; returns its place in the log.
    @discardableResult
    public func insert(_ event: BridgeEvent) async throws(ArchiveStoreError) -> Int64 {
        try await insertEvent(dateTime: event.dateTime, source: event.source, type: event.type.rawValue, payload: event.json.description)
    }
}

/// Records the event log: tells events from what the poller reports (``InverterEventDeriver``)
/// and takes the bridge's own, folds repeats (``EventThrottle``), stores each event and then
/// hands it on to be published (`recorded`).
///
/// Events are stored before they are published, in the order they happened. While the database
/// cannot be written, they wait in memory (at most ``waitingLimit``; beyond, the oldest is
/// dropped and logged) and are stored, in order, with the next event or ``flush()``.
public actor EventRecorder {
    /// The most events waiting in memory for the database.
    public static let waitingLimit = 1_000

    private let store: any EventStore
    private let clock: any WallClock
    private let logger: Logger
    private let recorded: @Sendable () async -> Void
    private var deriver = InverterEventDeriver()
    private var throttle: EventThrottle
    private var waiting: [BridgeEvent] = []
    private var failing = false
    /// The last-alarms lists as last stored, by serial number.
    private var lastAlarms: [String: [UInt8]] = [:]

    /// A recorder storing into `store`, folding repeats within `foldWindow` seconds, calling
    /// `recorded` after events were stored.
    public init(
        store: any EventStore, clock: any WallClock, foldWindow: Int64 = 60, logger: Logger = Logger(label: "aurora.events"),
        recorded: @escaping @Sendable () async -> Void = {}
    ) {
        self.store = store
        self.clock = clock
        self.throttle = EventThrottle(window: foldWindow)
        self.logger = logger
        self.recorded = recorded
    }

    /// Records the inverter events `event` makes, if any; at the end of each poll, the summaries
    /// of folded repeats whose window has passed.
    public func handle(_ event: PollerEvent) async {
        let now = Int64(clock.now().rounded(.down))
        switch event {
        case .pollFinished:
            await flush()
        case .lastAlarms(let inverter, let serialNumber?, let codes):
            let previous = await storedLastAlarms(serialNumber: serialNumber)
            await admit(deriver.lateAlarms(inverter: inverter, previous: previous, current: codes, at: now))
            if previous != codes { await saveLastAlarms(codes, serialNumber: serialNumber) }
        default:
            await admit(deriver.events(for: event, at: now))
        }
    }

    /// Records an event of `source` (an inverter's name, or ``BridgeEvent/bridgeSource``) now.
    public func record(_ type: EventType, source: String = BridgeEvent.bridgeSource, details: [(key: String, value: BridgeEvent.Value)] = []) async {
        await admit([BridgeEvent(dateTime: Int64(clock.now().rounded(.down)), source: source, type: type, details: details)])
    }

    /// Stores the summaries of folded repeats whose window has passed, and what waits in memory.
    public func flush() async {
        await admit(throttle.flush(at: Int64(clock.now().rounded(.down))), folded: true)
    }

    /// Events waiting in memory for the database.
    public var waitingCount: Int { waiting.count }

    private func admit(_ events: [BridgeEvent], folded: Bool = false) async {
        for event in events {
            waiting += folded ? [event] : throttle.admit(event)
        }
        if waiting.count > Self.waitingLimit {
            let dropped = waiting.count - Self.waitingLimit
            waiting.removeFirst(dropped)
            logger.error("events waiting for the database were dropped: the memory queue is full", metadata: ["dropped": "\(dropped)"])
        }
        guard !waiting.isEmpty else { return }
        var stored = 0
        while let event = waiting.first {
            do {
                _ = try await store.insert(event)
            } catch {
                if !failing { logger.error("could not store an event; keeping it in memory", metadata: ["error": "\(error)"]) }
                failing = true
                break
            }
            waiting.removeFirst()
            stored += 1
        }
        if stored > 0 {
            if failing, waiting.isEmpty {
                logger.notice("events can be stored again")
                failing = false
            }
            await recorded()
        }
    }

    private func storedLastAlarms(serialNumber: String) async -> [UInt8]? {
        if let known = lastAlarms[serialNumber] { return known }
        do {
            let stored = try await store.lastAlarms(serialNumber: serialNumber)
            lastAlarms[serialNumber] = stored
            return stored
        } catch {
            logger.warning("could not read the stored last alarms; this list is the baseline", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private func saveLastAlarms(_ codes: [UInt8], serialNumber: String) async {
        lastAlarms[serialNumber] = codes
        do {
            try await store.saveLastAlarms(codes, serialNumber: serialNumber)
        } catch {
            logger.warning("could not store the last alarms; a restart may record some again", metadata: ["error": "\(error)"])
        }
    }
}

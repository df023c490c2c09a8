import Logging

/// Records the event log: tells events from what the poller reports (``InverterEventDeriver``)
/// and takes the bridge's own, folds repeats (``EventThrottle``), stores each event and then
/// hands it on to be published (`recorded`).
///
/// Handing an event in never waits for the database: ``handle(_:)`` and ``record(_:source:details:)``
/// only queue it, with the time it happened, and ``run()`` stores what is queued, in order, in
/// the background. So a locked or slow database cannot hold up the poller, the MQTT events or
/// the start of the bridge. While the database cannot be written, events wait in memory (at
/// most ``waitingLimit``; beyond, the oldest is dropped and logged) and are tried again at most
/// every ``retryInterval`` seconds. A run stopping for a reload hands them to the next run
/// (``handOver()``) instead of trying again; a run stopping for good tries once more.
public actor EventRecorder {
    /// The most events waiting in memory for the database.
    public static let waitingLimit = 1_000
    /// How often, in seconds, a database that failed to store an event is tried again.
    public static let retryInterval = 2.0

    /// What was handed in, in order, with its time.
    private enum Input {
        case poller(PollerEvent, at: Int64)
        case bridge(BridgeEvent)
    }

    private let store: any EventStore
    private let clock: any WallClock
    private let logger: Logger
    private let recorded: @Sendable () async -> Void
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private var deriver = InverterEventDeriver()
    private var throttle: EventThrottle
    private var inputs: [Input] = []
    private var waiting: [BridgeEvent]
    private var failing = false
    private var nextAttempt = 0.0
    private var takingIn = false
    private var attemptAgain = false
    private var finalAttempt = true
    /// The last-alarms lists as last stored, by serial number.
    private var lastAlarms: [String: [UInt8]] = [:]

    /// A recorder storing into `store`, folding repeats within `foldWindow` seconds, calling
    /// `recorded` after events were stored; `handedOver` are the events a previous run left
    /// waiting (``handOver()``), stored first.
    public init(
        store: any EventStore, clock: any WallClock, foldWindow: Int64 = 60, handedOver: [BridgeEvent] = [],
        logger: Logger = Logger(label: "aurora.events"), recorded: @escaping @Sendable () async -> Void = {}
    ) {
        self.store = store
        self.clock = clock
        self.throttle = EventThrottle(window: foldWindow)
        self.waiting = handedOver
        self.logger = logger
        self.recorded = recorded
        (wakes, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        if !handedOver.isEmpty { wake.yield() }
    }

    /// Queues what `event` means for the event log, if anything: inverter events, and at the end
    /// of each poll the summaries of folded repeats whose window has passed.
    public func handle(_ event: PollerEvent) {
        inputs.append(.poller(event, at: now))
        wake.yield()
    }

    /// Queues an event of `source` (an inverter's name, or ``BridgeEvent/bridgeSource``) now.
    public func record(_ type: EventType, source: String = BridgeEvent.bridgeSource, details: [(key: String, value: BridgeEvent.Value)] = []) {
        inputs.append(.bridge(BridgeEvent(dateTime: now, source: source, type: type, details: details)))
        wake.yield()
    }

    /// Has ``run()`` try a failing database again if it is time to (called every second or so).
    public nonisolated func retryIfDue() {
        wake.yield()
    }

    /// Ends ``run()``: it takes in what is queued and, if `storing` (a stop for good), stores it
    /// (once more, even while the database fails); if not (a reload), keeps it for ``handOver()``.
    public func finish(storing: Bool) {
        finalAttempt = storing
        wake.finish()
    }

    /// Stores what is handed in until ``finish(storing:)``.
    public func run() async {
        for await _ in wakes {
            await takeIn(store: !failing || clock.monotonicNow() >= nextAttempt)
        }
        await takeIn(store: false)
        if finalAttempt {
            admit(throttle.flush(at: .max), folded: true)
            await takeIn(store: true)
        }
    }

    /// Takes in what is queued and stores the waiting events now, even while the database
    /// fails: what ``run()`` does when woken and due, for a recorder driven by hand (tests).
    public func flush() async {
        await takeIn(store: true)
    }

    /// The events still waiting for the database, oldest first, for the next run after a
    /// reload; the recorder keeps none.
    public func handOver() -> [BridgeEvent] {
        defer { waiting = [] }
        return waiting + throttle.flush(at: .max)
    }

    /// Events waiting in memory for the database.
    public var waitingCount: Int { waiting.count }

    private var now: Int64 { Int64(clock.now().rounded(.down)) }

    /// Takes in the queued inputs in order, then stores the waiting events if `attempt`. One
    /// at a time: a call while another runs leaves its part to that one, so no input is taken
    /// in out of order and no event stored twice.
    private func takeIn(store attempt: Bool) async {
        attemptAgain = attemptAgain || attempt
        guard !takingIn else { return }
        takingIn = true
        defer { takingIn = false }
        while attemptAgain || !inputs.isEmpty {
            let attempt = attemptAgain
            attemptAgain = false
            while !inputs.isEmpty {
                await take(inputs.removeFirst())
            }
            if attempt { await storeWaiting() }
        }
    }

    private func take(_ input: Input) async {
        switch input {
        case .bridge(let event):
            admit([event])
        case .poller(.pollFinished, let at):
            admit(throttle.flush(at: at), folded: true)
        case .poller(.lastAlarms(let inverter, let serialNumber?, let codes), let at):
            let previous = await storedLastAlarms(serialNumber: serialNumber)
            admit(deriver.lateAlarms(inverter: inverter, previous: previous, current: codes, at: at))
            if previous != codes { await saveLastAlarms(codes, serialNumber: serialNumber) }
        case .poller(let event, let at):
            admit(deriver.events(for: event, at: at))
        }
    }

    private func admit(_ events: [BridgeEvent], folded: Bool = false) {
        for event in events {
            waiting += folded ? [event] : throttle.admit(event)
        }
        if waiting.count > Self.waitingLimit {
            let dropped = waiting.count - Self.waitingLimit
            waiting.removeFirst(dropped)
            logger.error("events waiting for the database were dropped: the memory queue is full", metadata: ["dropped": "\(dropped)"])
        }
    }

    /// Stores the waiting events in order, until one fails.
    private func storeWaiting() async {
        var stored = 0
        while let event = waiting.first {
            do {
                _ = try await store.insert(event)
            } catch {
                if !failing { logger.error("could not store an event; keeping it in memory", metadata: ["error": "\(error)"]) }
                failing = true
                nextAttempt = clock.monotonicNow() + Self.retryInterval
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

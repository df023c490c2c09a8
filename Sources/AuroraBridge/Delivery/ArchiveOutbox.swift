import Logging
import Mosquitto

/// Gets archive records and events from the store to the broker through a bounded
/// ``DeliveryWindow``, oldest first, and marks a record delivered only once every message of it
/// was acknowledged. Events (see ``EventRecorder``) go one message each, QoS 1, not retained,
/// in the order of the log, after the records of each fill; they are stored before they are
/// handed over (``eventsStored()``).
///
/// One outbox lives as long as its ``MQTTOutput``: across SIGHUP reloads, each run of the
/// bridge ``attach(store:publisher:)``es to it, and records in flight stay in flight (libmosquitto
/// sends them again itself after a reconnect, with or without a session) instead of being
/// published again. It reads its own events from the output (register it before connecting
/// and keep ``run()`` going: the ``ArchiveOutboxService`` does, beside the bridge), so no
/// acknowledgement is missed between two runs.
///
/// Records are stored first and published from the store, page by page, while connected, so
/// memory stays bounded whatever the backlog. When the database cannot be written (busy
/// beyond its timeout, full disk, read-only or corrupt file) a record waits in a bounded
/// ``PendingRecords`` queue, is published from there, and is written (with its delivered mark)
/// in order once the database answers again; ``status`` reports the archive degraded meanwhile.
public actor ArchiveOutbox {
    /// The archive's health, for the stats topic.
    public struct Status: Sendable, Equatable {
        /// Whether the database failed the last write: records or delivered marks wait in memory.
        public var degraded: Bool
        /// Records waiting in memory for the database.
        public var queued: Int
        /// Records lost because the queue was full (neither stored nor, for some, delivered).
        public var dropped: Int
        /// Records in flight.
        public var inFlight: Int

        /// A status from its parts.
        public init(degraded: Bool, queued: Int, dropped: Int, inFlight: Int) {
            self.degraded = degraded
            self.queued = queued
            self.dropped = dropped
            self.inFlight = inFlight
        }
    }

    private let output: any MQTTOutput
    private let events: AsyncStream<MosquittoEvent>
    private let logger: Logger
    private let retryInterval: Duration
    private var window: DeliveryWindow<DeliveryKey>
    private var pending: PendingRecords
    /// Records acknowledged whose delivered mark could not be written yet.
    private var unmarked: Set<ArchiveKey> = []
    /// Events acknowledged whose delivered mark could not be written yet.
    private var unmarkedEvents: Set<Int64> = []
    /// Records and events acknowledged lately (the newest few thousand): a page read from the
    /// store that began before their delivered mark was written still lists them, and must not
    /// send them again.
    private var recentlyDelivered: Set<DeliveryKey> = []
    private var recentlyDeliveredOrder: [DeliveryKey] = []
    private static let recentlyDeliveredLimit = 4_096
    private var store: ArchiveStore?
    private var publisher: Publisher?
    /// The last stored record handed to the window; the next page starts after it.
    private var cursor: ArchiveKey?
    /// The last stored event handed to the window; the next page starts after it.
    private var eventCursor: Int64?
    private var pumping = false
    private var pumpAgain = false
    private var writing = false
    private var writeAgain = false
    private var writeWaiters: [CheckedContinuation<Void, Never>] = []
    private var dropped = 0
    private var writeFailing = false
    /// The turns between degraded and not since ``takeHealthChanges()`` last took them.
    private var healthChanges: [Bool] = []

    /// An outbox publishing through `output`.
    /// - Parameters:
    ///   - records: At most this many records in flight (`[archive] window`).
    ///   - messages: At most this many messages in flight, far below the 65 535 message ids.
    ///   - queueLimit: At most this many records wait in memory for the database
    ///     (`[archive] queue_limit`); see ``PendingRecords`` for what happens beyond.
    ///   - retryInterval: How often a degraded archive tries the database again.
    public init(
        output: any MQTTOutput, records: Int = 32, messages: Int = 4_096, queueLimit: Int = 10_000,
        retryInterval: Duration = .seconds(2), logger: Logger = Logger(label: "aurora.archive")
    ) {
        self.output = output
        self.events = output.events(bufferingPolicy: .unbounded)
        self.window = DeliveryWindow(records: records, messages: messages)
        self.pending = PendingRecords(limit: queueLimit)
        self.retryInterval = retryInterval
        self.logger = logger
    }

    /// The archive's health now.
    public var status: Status {
        Status(
            degraded: writeFailing, queued: pending.count,
            dropped: dropped, inFlight: window.recordCount)
    }

    /// Every turn of ``Status/degraded`` since the last call, oldest first (`true`: it became
    /// degraded), for the event log: read every second, none is missed, however short, nor
    /// lost between the runs of a reload (the outbox outlives them).
    public func takeHealthChanges() -> [Bool] {
        defer { healthChanges = [] }
        return healthChanges
    }

    /// Makes `store` the archive and `publisher` the renderer of its records (every run of the
    /// bridge, after a reload too), and starts sending the backlog.
    public func attach(store: ArchiveStore, publisher: Publisher) async {
        self.store = store
        self.publisher = publisher
        cursor = nil
        eventCursor = nil
        await pump()
    }

    /// Events were stored: sends them (while connected and the window has room).
    public func eventsStored() async {
        await pump()
    }

    /// Handles the output's events (connects, acknowledgements, rejections) and retries the
    /// database while degraded, until the output's event stream ends.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [retryInterval] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: retryInterval)
                    await self.retry()
                }
            }
            for await event in events {
                await handle(event)
            }
            group.cancelAll()
        }
    }

    private func handle(_ event: MosquittoEvent) async {
        switch event {
        case .connected:
            // libmosquitto sends the messages in flight again itself; look for records given
            // up since (rejected, or not handed over) from the start of the backlog.
            cursor = nil
            eventCursor = nil
            await pump()
        case .published(let id):
            switch window.acknowledge(id) {
            case .complete(let key):
                switch key {
                case .record(let record): await delivered(record)
                case .event(let event): await eventDelivered(event)
                }
                // Refill in batches: one store read per half window, not per record.
                if window.recordCount <= window.recordLimit / 2 { await pump() }
            case .pending, .unknown:
                break
            }
        case .publishRejected(let id, let reason):
            if let key = window.reject(id) {
                logger.error(
                    "the broker rejected an archive record or event; it stays undelivered and is sent again on the next connect",
                    metadata: ["record": "\(key)", "reason": "\(reason)"])
                await pump()
            }
        default:
            break
        }
    }

    // MARK: - Storing

    /// Queues `record` for the database and returns at once: the poller never waits for the
    /// archive. The queue is written in order; the record is published once stored (or, while
    /// the database cannot be written, from the queue).
    public func submit(_ record: ArchiveRecord) {
        if let lost = pending.append(record) {
            dropped += 1
            window.abandon(.record(ArchiveKey(lost.record)))
            logger.error(
                "the archive's memory queue is full; a record was dropped",
                metadata: [
                    "record": "\(ArchiveKey(lost.record))", "delivered": "\(lost.delivered)",
                    "queued": "\(pending.count)", "dropped": "\(dropped)",
                ])
        }
        guard !writing else {
            writeAgain = true
            return
        }
        writing = true
        Task { await self.write() }
    }

    /// Tries the database again (called every `retryInterval` while degraded): writes the
    /// queued records and delivered marks, in order, while it answers.
    public func retry() async {
        guard !writing, writeFailing || !pending.isEmpty || !unmarked.isEmpty || !unmarkedEvents.isEmpty else { return }
        writing = true
        await write()
    }

    /// Waits for the queue to be written (before the process exits); logs what could not be.
    public func flush() async {
        if writing { await withCheckedContinuation { writeWaiters.append($0) } }
        await retry()
        guard !pending.isEmpty else { return }
        logger.error(
            "archive records could not be stored before the stop; they are lost from the archive",
            metadata: ["records": "\(pending.count)", "delivered": "\(pending.entries.filter(\.delivered).count)"])
    }

    /// Writes the queue; runs once at a time (`writing` is set by the caller).
    private func write() async {
        defer {
            writing = false
            for waiter in writeWaiters { waiter.resume() }
            writeWaiters = []
        }
        repeat {
            writeAgain = false
            await writeQueue()
        } while writeAgain && !writeFailing
    }

    private func writeQueue() async {
        guard let store else { return }
        let wasFailing = writeFailing
        var written = 0
        while let entry = pending.first {
            let key = ArchiveKey(entry.record)
            do {
                if try await !store.insert(entry.record, delivered: entry.delivered) {
                    logger.warning("an archive record for this interval is already stored; keeping the stored one", metadata: ["record": "\(key)"])
                }
            } catch {
                failing(wasFailing ? "the archive database still cannot be written" : "could not store an archive record; keeping it in memory and publishing it from there", error)
                await pump()
                return
            }
            // The queue may have changed meanwhile (a record dropped at the bound, an
            // acknowledgement noted).
            guard let current = pending.first, ArchiveKey(current.record) == key else { continue }
            pending.removeFirst()
            written += 1
            if current.delivered && !entry.delivered { await markStored(key) }
            if let cursor, key < cursor { self.cursor = nil }
        }
        for key in unmarked {
            do {
                try await store.markDelivered(inverter: key.inverter, dateTime: key.dateTime)
            } catch {
                failing("the archive database still cannot be written", error)
                return
            }
            unmarked.remove(key)
        }
        for id in unmarkedEvents {
            do {
                try await store.markEventDelivered(id: id)
            } catch {
                failing("the archive database still cannot be written", error)
                return
            }
            unmarkedEvents.remove(id)
        }
        if writeFailing {
            logger.notice("the archive database can be written again; the archive caught up", metadata: ["written": "\(written)"])
            cursor = nil
            healthChanges.append(false)
        }
        writeFailing = false
        await pump()
    }

    private func failing(_ message: Logger.Message, _ error: any Error) {
        if !writeFailing {
            logger.error("\(message); the archive is degraded", metadata: ["error": "\(error)", "queued": "\(pending.count)"])
            healthChanges.append(true)
        }
        writeFailing = true
    }

    private func delivered(_ key: ArchiveKey) async {
        rememberDelivered(.record(key))
        if pending.markDelivered(key) { return }
        await markStored(key)
    }

    private func rememberDelivered(_ key: DeliveryKey) {
        if recentlyDelivered.insert(key).inserted {
            recentlyDeliveredOrder.append(key)
            if recentlyDeliveredOrder.count > Self.recentlyDeliveredLimit {
                recentlyDelivered.remove(recentlyDeliveredOrder.removeFirst())
            }
        }
    }

    /// Marks an acknowledged event delivered, or keeps the mark in memory until the database
    /// answers (like a record's).
    private func eventDelivered(_ id: Int64) async {
        rememberDelivered(.event(id))
        guard let store, !writeFailing else {
            unmarkedEvents.insert(id)
            return
        }
        do {
            try await store.markEventDelivered(id: id)
        } catch {
            unmarkedEvents.insert(id)
            failing("could not mark an event delivered; keeping the mark in memory", error)
        }
    }

    /// Marks a stored record delivered, or keeps the mark in memory until the database answers.
    private func markStored(_ key: ArchiveKey) async {
        guard let store else { return }
        guard !writeFailing else {
            // Waiting for the busy timeout on every acknowledgement would hold up the others.
            unmarked.insert(key)
            return
        }
        do {
            try await store.markDelivered(inverter: key.inverter, dateTime: key.dateTime)
        } catch {
            unmarked.insert(key)
            failing("could not mark an archive record delivered; keeping the mark in memory", error)
        }
    }

    // MARK: - Sending

    /// Fills the window, oldest first: stored records after the cursor, then queued ones.
    /// Runs once at a time; a call while it runs makes it go round again.
    private func pump() async {
        guard !pumping else {
            pumpAgain = true
            return
        }
        pumping = true
        defer { pumping = false }
        repeat {
            pumpAgain = false
            await fill()
        } while pumpAgain
    }

    private func fill() async {
        guard let store, let publisher else { return }
        // Marks waiting for the database are bounded like the queue: at the bound, stored
        // records wait (sending them would only make more marks).
        while output.isConnected, window.recordCount < window.recordLimit, unmarked.count < pending.limit {
            // Records awaiting their mark (and, from the start, those in flight) come back
            // from the store too and are skipped.
            let limit = window.recordLimit - window.recordCount
                + (cursor == nil ? window.recordCount + unmarked.count + min(recentlyDelivered.count, window.recordLimit) : 0)
            let page: [ArchiveRecord]
            do {
                page = try await store.undelivered(after: cursor, limit: limit)
            } catch {
                if case .cancelled = error { return }
                logger.error("could not read undelivered archive records", metadata: ["error": "\(error)"])
                break
            }
            for record in page {
                let key = ArchiveKey(record)
                guard !window.contains(.record(key)), !unmarked.contains(key), !recentlyDelivered.contains(.record(key)), !pending.contains(key) else {
                    cursor = key
                    continue
                }
                guard send(record, publisher: publisher) else { return }
                cursor = key
            }
            if page.count < limit { break }
        }
        // Queued records are published from memory only while the database cannot take them;
        // otherwise they are about to be stored and go from the store.
        if writeFailing {
            for entry in pending.entries where !entry.delivered && !window.contains(.record(ArchiveKey(entry.record))) {
                guard output.isConnected, send(entry.record, publisher: publisher) else { return }
            }
        }
        await fillEvents(store: store, publisher: publisher)
    }

    /// Sends the stored undelivered events after the event cursor, in order, while the window
    /// has room.
    private func fillEvents(store: ArchiveStore, publisher: Publisher) async {
        while output.isConnected, window.hasRoom(forMessages: 1), unmarkedEvents.count < pending.limit {
            let limit = window.recordLimit
                + (eventCursor == nil ? window.recordCount + unmarkedEvents.count + min(recentlyDelivered.count, window.recordLimit) : 0)
            let page: [StoredEvent]
            do {
                page = try await store.undeliveredEvents(after: eventCursor, limit: limit)
            } catch {
                if case .cancelled = error { return }
                logger.error("could not read undelivered events", metadata: ["error": "\(error)"])
                return
            }
            for event in page {
                let key = DeliveryKey.event(event.id)
                guard !window.contains(key), !unmarkedEvents.contains(event.id), !recentlyDelivered.contains(key) else {
                    eventCursor = event.id
                    continue
                }
                guard window.hasRoom(forMessages: 1) else { return }
                let message = publisher.eventMessage(event)
                do {
                    let id = try output.send(topic: message.topic, text: message.payload, qos: .atLeastOnce, retain: false)
                    for givenUp in window.register(key, ids: [id]) {
                        logger.error("a message id in flight was handed out again; it is sent again on the next connect", metadata: ["record": "\(givenUp)"])
                    }
                } catch {
                    logger.warning("event not handed to the MQTT client; it is sent again on the next connect", metadata: ["event": "\(event.id)", "error": "\(error)"])
                }
                eventCursor = event.id
            }
            if page.count < limit { return }
        }
    }

    /// Publishes `record` if the window has room; returns whether it did.
    private func send(_ record: ArchiveRecord, publisher: Publisher) -> Bool {
        let messages = publisher.archiveMessages(record)
        guard window.hasRoom(forMessages: messages.count) else { return false }
        let key = DeliveryKey.record(ArchiveKey(record))
        let (qos, retain) = publisher.archiveDelivery
        var ids: [MessageID] = []
        do {
            for message in messages {
                ids.append(try output.send(topic: message.topic, text: message.payload, qos: qos, retain: retain))
            }
        } catch {
            if !ids.isEmpty {
                window.register(key, ids: ids)
                window.abandon(key)
            }
            logger.warning(
                "archive record not handed to the MQTT client; it is sent again on the next connect",
                metadata: ["record": "\(key)", "error": "\(error)"])
            return true
        }
        for givenUp in window.register(key, ids: ids) {
            logger.error(
                "a message id in flight was handed out again; the record is sent again on the next connect",
                metadata: ["record": "\(givenUp)"])
        }
        return true
    }
}

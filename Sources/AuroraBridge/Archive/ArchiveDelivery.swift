import Logging
import Mosquitto

/// Turns loop packets into archive records and gets every record to the broker exactly as
/// stored: written to the ``ArchiveStore`` first, then published, and marked delivered only
/// when the broker acknowledged every message of it.
///
/// Records waiting in libmosquitto's memory (published while disconnected) are never
/// published again; records that are in the store but not in flight (from before a restart,
/// or refused outright) are published, oldest first, on every connect.
///
/// Order: until the first ``replay()`` after start has handed the stored backlog to the client,
/// new records are only stored (and held), not published: otherwise, started while the broker
/// is away, the bridge would queue its new records in libmosquitto ahead of the older backlog,
/// the broker would get them first, and the retained archive topic would end on an old record.
/// The first replay sends the backlog and the held records together, oldest first.
public actor ArchiveDelivery {
    private struct Key: Hashable {
        let inverter: String
        let dateTime: Int64
    }

    private let store: ArchiveStore
    private let client: MosquittoClient
    private let publisher: Publisher
    private let logger: Logger
    private var archiver: Archiver
    private var inFlight: [MessageID: Key] = [:]
    private var awaiting: [Key: Set<MessageID>] = [:]
    /// Whether the first replay since start has handed the stored backlog to the client.
    private var backlogSent = false
    /// Records produced before the first replay, sent by it after (and with) the backlog.
    private var held: [ArchiveRecord] = []

    /// A delivery pipeline aggregating with `archiver`, storing in `store`, publishing through
    /// `client` as `publisher` renders it.
    public init(archiver: Archiver, store: ArchiveStore, client: MosquittoClient, publisher: Publisher, logger: Logger = Logger(label: "aurora.archive")) {
        self.archiver = archiver
        self.interval = archiver.interval
        self.store = store
        self.client = client
        self.publisher = publisher
        self.logger = logger
    }

    /// Restores the intervals that were open at the last clean stop; any that have ended since
    /// become records now.
    public func restoreOpenIntervals(now: Int64) async {
        do {
            let saved = try await store.loadPartial()
            try await store.clearPartial()
            guard !saved.isEmpty else { return }
            logger.info("resuming open archive intervals", metadata: ["count": "\(saved.count)"])
            let restored = archiver.restore(saved)
            await submit(restored + archiver.close(through: now))
        } catch {
            logger.error("could not restore open archive intervals", metadata: ["error": "\(error)"])
        }
    }

    /// Saves the open intervals so a restart within the same interval resumes them.
    public func saveOpenIntervals() async {
        do {
            try await store.savePartial(archiver.snapshot())
        } catch {
            logger.error("could not save open archive intervals", metadata: ["error": "\(error)"])
        }
    }

    /// Adds a loop packet; records of intervals it closes are stored and published.
    ///
    /// A packet older than the last closed interval (the wall clock stepped back) is skipped;
    /// the log says so once when skipping begins and once, with the count, when it ends.
    public func add(_ packet: LoopPacket) async {
        let ignored = archiver.ignoredPackets
        let closed = archiver.add(packet)
        noteSkipping(packet, skipped: archiver.ignoredPackets > ignored)
        await submit(closed)
    }

    /// Packets skipped in the current episode, by inverter.
    private var skipping: [String: Int] = [:]

    private func noteSkipping(_ packet: LoopPacket, skipped: Bool) {
        let inverter = packet.inverter
        if skipped {
            if skipping[inverter] == nil {
                logger.warning("skipping loop packets older than the last archived interval (the wall clock stepped back?)", metadata: [
                    "inverter": "\(inverter)", "dateTime": "\(packet.dateTime)",
                ])
            }
            skipping[inverter, default: 0] += 1
        } else if let count = skipping.removeValue(forKey: inverter) {
            logger.notice("archiving loop packets again", metadata: ["inverter": "\(inverter)", "skipped": "\(count)", "dateTime": "\(packet.dateTime)"])
        }
    }

    /// Closes every interval that ended by `now`; called at each boundary.
    public func close(through now: Int64) async {
        let closed = archiver.close(through: now)
        await submit(closed)
    }

    /// The next interval boundary after `now`.
    public nonisolated func nextBoundary(after now: Int64) -> Int64 {
        interval.end(containing: now + 1)
    }

    private nonisolated let interval: ArchiveInterval

    /// Stores each record, then publishes it (or holds it until the first replay).
    ///
    /// A record for an interval that is already stored (a restart inside the grace period of a
    /// boundary the previous run had closed) is dropped: the stored one is what gets published,
    /// so the broker never gets a record that differs from the store's.
    private func submit(_ records: [ArchiveRecord]) async {
        for record in records {
            do {
                guard try await store.insert(record) else {
                    logger.warning("an archive record for this interval is already stored; keeping the stored one", metadata: ["inverter": "\(record.inverter)", "dateTime": "\(record.dateTime)"])
                    continue
                }
            } catch {
                // Not stored: publish anyway, so the data is not lost while the disk is sick.
                logger.error("could not store an archive record", metadata: ["inverter": "\(record.inverter)", "dateTime": "\(record.dateTime)", "error": "\(error)"])
            }
            if backlogSent {
                send(record)
            } else {
                held.append(record)
            }
        }
    }

    /// Publishes `record` and registers its message ids, with no suspension in between so no
    /// acknowledgement can arrive unregistered.
    private func send(_ record: ArchiveRecord) {
        let key = Key(inverter: record.inverter, dateTime: record.dateTime)
        let (qos, retain) = publisher.archiveDelivery
        var ids: Set<MessageID> = []
        do {
            for message in publisher.archiveMessages(record) {
                let id = try client.publish(topic: message.topic, text: message.payload, qos: qos, retain: retain)
                ids.insert(id)
                inFlight[id] = key
            }
            awaiting[key] = ids
        } catch {
            for id in ids { inFlight[id] = nil }
            logger.warning("archive record not handed to the MQTT client; it is sent again on the next connect", metadata: ["inverter": "\(record.inverter)", "dateTime": "\(record.dateTime)", "error": "\(error)"])
        }
    }

    /// The broker acknowledged message `id`; a record whose messages are all acknowledged is
    /// marked delivered.
    public func acknowledged(_ id: MessageID) async {
        guard let key = inFlight.removeValue(forKey: id) else { return }
        awaiting[key]?.remove(id)
        guard awaiting[key]?.isEmpty == true else { return }
        awaiting[key] = nil
        do {
            try await store.markDelivered(inverter: key.inverter, dateTime: key.dateTime)
        } catch {
            logger.error("could not mark an archive record delivered; it will be sent again", metadata: ["error": "\(error)"])
        }
    }

    /// Publishes, oldest first, every stored record that is not delivered and not in flight,
    /// and after the first connect the records held until then. Called on every connect.
    public func replay() async {
        var pending: [ArchiveRecord] = []
        do {
            pending = try await store.undelivered(limit: 1_000_000)
        } catch {
            logger.error("could not read undelivered archive records", metadata: ["error": "\(error)"])
        }
        // No suspension from here on: a record submitted meanwhile is either held (and sent
        // now) or, once `backlogSent` is set, sent after these.
        var seen: Set<Key> = []
        let waiting = (pending + held)
            .filter { seen.insert(Key(inverter: $0.inverter, dateTime: $0.dateTime)).inserted }
            .filter { awaiting[Key(inverter: $0.inverter, dateTime: $0.dateTime)] == nil }
            .sorted { ($0.dateTime, $0.inverter) < ($1.dateTime, $1.inverter) }
        held = []
        backlogSent = true
        guard !waiting.isEmpty else { return }
        logger.info("publishing undelivered archive records", metadata: ["count": "\(waiting.count)"])
        for record in waiting { send(record) }
    }

    /// How many records are not delivered yet, or nil if the store cannot say (the error is
    /// logged; a guess would be a wrong number on the stats topic).
    public func backlog() async -> Int? {
        do {
            return try await store.undeliveredCount()
        } catch {
            logger.error("could not count undelivered archive records", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Deletes delivered records older than `keepDays` days before `now`.
    public func prune(now: Int64, keepDays: Int) async {
        do {
            let removed = try await store.prune(deliveredBefore: now - Int64(keepDays) * 86_400)
            if removed > 0 { logger.info("pruned delivered archive records", metadata: ["count": "\(removed)"]) }
        } catch {
            logger.error("could not prune the archive", metadata: ["error": "\(error)"])
        }
    }
}

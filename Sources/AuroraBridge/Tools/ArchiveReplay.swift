import Mosquitto

/// Publishes stored archive records again, for `aurora-bridge archive replay`: connects, sends
/// the selected records oldest first through a bounded ``DeliveryWindow`` (reading the store
/// page by page, so memory stays bounded whatever the range), waits for every
/// acknowledgement, disconnects, and says how many records were published and acknowledged.
public struct ArchiveReplay: Sendable {
    /// What a replay did.
    public struct Outcome: Sendable, Equatable, CustomStringConvertible {
        /// Records whose messages were all handed to the client.
        public var published = 0
        /// Records whose messages were all acknowledged by the broker.
        public var acknowledged = 0
        /// Records a message of which the broker rejected (MQTT 5 reason code).
        public var rejected = 0

        public var description: String {
            "published \(published) record(s), \(acknowledged) acknowledged" + (rejected > 0 ? ", \(rejected) rejected by the broker" : "")
        }
    }

    /// Why a replay did not complete.
    public typealias Failure = OneShotError

    /// The configuration naming the broker, topics and archive settings.
    public let configuration: BridgeConfiguration
    /// At most this many records in flight.
    public let windowRecords: Int
    /// Fail when no acknowledgement arrives for this long.
    public let stallTimeout: Duration

    /// A replay for `configuration`.
    public init(configuration: BridgeConfiguration, windowRecords: Int = 32, stallTimeout: Duration = .seconds(30)) {
        self.configuration = configuration
        self.windowRecords = windowRecords
        self.stallTimeout = stallTimeout
    }

    /// How long to wait for the broker to accept the connection (documented on `archive replay`).
    public static let connectTimeout: Duration = .seconds(10)

    /// Publishes the records of `store` selected by `inverter`, `from` and `to` (as
    /// ``ArchiveStore/records(inverter:from:to:)``) and returns once the broker acknowledged
    /// all of them.
    /// - Throws: ``OneShotError/incomplete(done:command:)`` with the exact counts if not every
    ///   record was acknowledged, ``OneShotError/noBroker(host:port:)`` if the broker does not
    ///   accept the connection within ``connectTimeout``.
    @discardableResult
    public func publish(from store: ArchiveStore, inverter: String? = nil, from: Int64? = nil, to: Int64? = nil) async throws(Failure) -> Outcome {
        let source = ReplaySource(store: store, inverter: inverter, from: from, to: to)
        return try await OneShotBroker.withConnection(configuration, suffix: "replay", timeout: Self.connectTimeout) {
            (client, events) throws(Failure) -> Outcome in
            let publisher = Publisher(client: client, configuration: configuration)
            return try await run(client: client, events: events, publisher: publisher, source: source).get()
        }
    }

    /// Sends the records while the broker keeps acknowledging: fails once no acknowledgement
    /// came for ``stallTimeout``.
    private func run(
        client: MosquittoClient, events: AsyncStream<MosquittoEvent>, publisher: Publisher, source: ReplaySource
    ) async -> Result<Outcome, Failure> {
        let progress = Locked(ContinuousClock.now)
        let stallTimeout = stallTimeout
        let windowRecords = windowRecords
        let outcome = await withTaskGroup(of: Result<Outcome, Failure>?.self) { group in
            group.addTask {
                await Self.deliver(events: events, client: client, publisher: publisher, source: source, windowRecords: windowRecords, progress: progress)
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(200))
                    if ContinuousClock.now - progress.value > stallTimeout { return nil }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return outcome ?? .failure(source.incomplete)
    }

    /// Sends the records through the window and counts the acknowledgements.
    private static func deliver(
        events: AsyncStream<MosquittoEvent>, client: MosquittoClient, publisher: Publisher, source: ReplaySource,
        windowRecords: Int, progress: Locked<ContinuousClock.Instant>
    ) async -> Result<Outcome, Failure> {
        var iterator = events.makeAsyncIterator()
        var window = DeliveryWindow<ArchiveKey>(records: windowRecords)
        let (qos, retain) = publisher.archiveDelivery
        do throws(Failure) {
            while true {
                while let record = try await source.peek() {
                    let messages = publisher.archiveMessages(record)
                    guard window.hasRoom(forMessages: messages.count), window.recordCount < window.recordLimit else { break }
                    var ids: [MessageID] = []
                    do {
                        for message in messages {
                            ids.append(try client.send(topic: message.topic, text: message.payload, qos: qos, retain: retain))
                        }
                    } catch {
                        return .failure(.client(error))
                    }
                    source.advance()
                    source.outcome.withLock { $0.published += 1 }
                    // An id reused while in flight (never with the bounded window) gives records
                    // up: they are not counted as acknowledged, and the replay says so.
                    window.register(ArchiveKey(record), ids: ids)
                }
                if window.isEmpty, try await source.peek() == nil { return .success(source.outcome.value) }
                guard let event = await iterator.next() else { break }
                switch event {
                case .published(let id):
                    if case .complete = window.acknowledge(id) {
                        source.outcome.withLock { $0.acknowledged += 1 }
                        progress.withLock { $0 = .now }
                    }
                case .publishRejected(let id, _):
                    if window.reject(id) != nil { source.outcome.withLock { $0.rejected += 1 } }
                default:
                    break
                }
            }
        } catch {
            return .failure(error)
        }
        return .failure(source.incomplete)
    }
}

/// The selected records of a replay, read from the store a page at a time.
private final class ReplaySource: Sendable {
    let store: ArchiveStore
    let inverter: String?
    let from: Int64?
    let to: Int64?
    /// What the replay did so far (read by the deadline when it gives up).
    let outcome = Locked(ArchiveReplay.Outcome())
    /// Records read from the store so far.
    let selected = Locked(0)
    private let page = Locked<(records: ArraySlice<ArchiveRecord>, cursor: ArchiveKey?, exhausted: Bool)>(([], nil, false))

    init(store: ArchiveStore, inverter: String?, from: Int64?, to: Int64?) {
        self.store = store
        self.inverter = inverter
        self.from = from
        self.to = to
    }

    /// The next record to send, without taking it.
    func peek() async throws(ArchiveReplay.Failure) -> ArchiveRecord? {
        let current = page.value
        if let record = current.records.first { return record }
        guard !current.exhausted else { return nil }
        let size = 256
        let records: [ArchiveRecord]
        do {
            records = try await store.records(inverter: inverter, from: from, to: to, after: current.cursor, limit: size)
        } catch {
            throw .store(error)
        }
        selected.withLock { $0 += records.count }
        page.withLock { $0 = (records[...], records.last.map(ArchiveKey.init) ?? current.cursor, records.count < size) }
        return records.first
    }

    /// The failure of a replay that stopped here.
    var incomplete: ArchiveReplay.Failure {
        .incomplete(done: "of \(selected.value) selected record(s): \(outcome.value)", command: "replay")
    }

    /// Takes the record ``peek()`` gave.
    func advance() {
        page.withLock { _ = $0.records.popFirst() }
    }
}

import Mosquitto

/// `aurora-bridge discovery remove`: clears, with empty retained messages, every retained topic
/// this bridge ever announced (as recorded in the state database) and every one the current
/// configuration would announce (discovery configs in both modes, status and data topics, the
/// bridge state), waits for the broker's acknowledgements, then forgets the record.
public struct DiscoveryRemoval: Sendable {
    /// What a removal did.
    public struct Outcome: Sendable, Equatable, CustomStringConvertible {
        /// Topics that got an empty retained message.
        public var sent = 0
        /// Of those, acknowledged by the broker.
        public var acknowledged = 0

        public var description: String { "cleared \(acknowledged) of \(sent) retained topic(s)" }
    }

    /// Why a removal did not complete.
    public typealias Failure = OneShotError

    /// The configuration naming the broker, the topics and the state database.
    public let configuration: BridgeConfiguration
    /// Fail when the broker does not accept the connection, or acknowledge, for this long.
    public let timeout: Duration

    /// A removal for `configuration`.
    public init(configuration: BridgeConfiguration, timeout: Duration = .seconds(10)) {
        self.configuration = configuration
        self.timeout = timeout
    }

    /// The topics to clear: those recorded in `store`, those the configuration would announce,
    /// and the bridge state topic.
    public func topics(recorded: [Announcement]) -> [String] {
        let possible = HomeAssistantDiscovery(configuration: configuration).everyPossibleAnnouncement()
        return Set((recorded + possible).map(\.topic) + [Publisher.bridgeStateTopic(configuration)]).sorted()
    }

    /// Clears the topics and forgets the record once every empty message was acknowledged.
    @discardableResult
    public func run(store: ArchiveStore) async throws(Failure) -> Outcome {
        let recorded: [Announcement]
        do {
            recorded = try await store.announcements()
        } catch {
            throw .store(error)
        }
        let topics = topics(recorded: recorded)
        let started = ContinuousClock.now
        let outcome = try await OneShotBroker.withConnection(configuration, suffix: "remove", timeout: timeout) {
            (client, events) throws(Failure) -> Outcome in
            try await clear(topics, client: client, events: events, within: timeout - (ContinuousClock.now - started)).get()
        }
        do {
            try await store.forgetAnnouncements(topics: recorded.map(\.topic))
        } catch {
            throw .store(error)
        }
        return outcome
    }

    /// Sends the empty messages and waits for their acknowledgements, for at most `timeout`.
    private func clear(
        _ topics: [String], client: MosquittoClient, events: AsyncStream<MosquittoEvent>, within timeout: Duration
    ) async -> Result<Outcome, Failure> {
        let outcome = Locked(Outcome())
        let first = await withTimeout(timeout) { () async -> Result<Outcome, Failure>? in
            var pending: Set<MessageID> = []
            for topic in topics {
                do throws(MosquittoError) {
                    pending.insert(try client.send(topic: topic, text: "", qos: .atLeastOnce, retain: true))
                } catch {
                    return .failure(.client(error))
                }
                outcome.withLock { $0.sent += 1 }
            }
            var iterator = events.makeAsyncIterator()
            while !pending.isEmpty, let event = await iterator.next() {
                if case .published(let id) = event, pending.remove(id) != nil { outcome.withLock { $0.acknowledged += 1 } }
            }
            return pending.isEmpty ? .success(outcome.value) : nil
        }
        return first ?? .failure(.incomplete(done: "\(outcome.value)", command: "removal"))
    }
}

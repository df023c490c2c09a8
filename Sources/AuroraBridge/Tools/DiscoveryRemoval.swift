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
    public enum Failure: Error, CustomStringConvertible {
        /// The broker could not be reached in time.
        case noBroker(host: String, port: Int)
        /// The broker stopped acknowledging before every empty message was acknowledged.
        case incomplete(Outcome)
        /// libmosquitto refused a message or an option.
        case client(MosquittoError)
        /// The state database could not be read or written.
        case store(ArchiveStoreError)

        public var description: String {
            switch self {
            case .noBroker(let host, let port):
                "cannot reach the MQTT broker at \(host):\(port); check [mqtt] host and port, and that the broker runs"
            case .incomplete(let outcome):
                "\(outcome); run the removal again"
            case .client(let error):
                error.description
            case .store(let error):
                error.description
            }
        }
    }

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
        let client: MosquittoClient
        do {
            client = try configuration.oneShotClient(suffix: "remove")
        } catch {
            throw .client(error)
        }
        let result = await clear(topics, client: client)
        await client.disconnect()
        let outcome = try result.get()
        do {
            try await store.forgetAnnouncements(topics: recorded.map(\.topic))
        } catch {
            throw .store(error)
        }
        return outcome
    }

    private func clear(_ topics: [String], client: MosquittoClient) async -> Result<Outcome, Failure> {
        let events = client.events()
        do {
            try client.connect()
        } catch {
            return .failure(.client(error))
        }
        let outcome = Locked(Outcome())
        let connected = Locked(false)
        let first = await withTimeout(timeout) { () async -> Result<Outcome, Failure>? in
            var iterator = events.makeAsyncIterator()
            while !connected.value, let event = await iterator.next() {
                if case .connected = event { connected.withLock { $0 = true } }
            }
            var pending: Set<MessageID> = []
            for topic in topics {
                do throws(MosquittoError) {
                    pending.insert(try client.send(topic: topic, text: "", qos: .atLeastOnce, retain: true))
                } catch {
                    return .failure(.client(error))
                }
                outcome.withLock { $0.sent += 1 }
            }
            while !pending.isEmpty, let event = await iterator.next() {
                if case .published(let id) = event, pending.remove(id) != nil { outcome.withLock { $0.acknowledged += 1 } }
            }
            return pending.isEmpty ? .success(outcome.value) : nil
        }
        if let first { return first }
        if !connected.value { return .failure(.noBroker(host: client.configuration.host, port: client.configuration.port)) }
        return .failure(.incomplete(outcome.value))
    }
}

import Mosquitto

/// Publishes stored archive records again, for `aurora-bridge archive replay`: connects, sends
/// every record's messages oldest first, waits for every acknowledgement, disconnects.
public struct ArchiveReplay: Sendable {
    /// Why a replay did not complete.
    public enum Failure: Error, CustomStringConvertible {
        /// The broker could not be reached in time.
        case noBroker(host: String, port: Int)
        /// Not every message was acknowledged in time.
        case unacknowledged(Int)
        /// libmosquitto refused a message or an option.
        case client(MosquittoError)

        public var description: String {
            switch self {
            case .noBroker(let host, let port):
                "cannot reach the MQTT broker at \(host):\(port); check [mqtt] host and port, and that the broker runs"
            case .unacknowledged(let count):
                "\(count) message(s) were not acknowledged by the broker in time; run the replay again"
            case .client(let error):
                error.description
            }
        }
    }

    /// The configuration naming the broker, topics and archive settings.
    public let configuration: BridgeConfiguration

    /// A replay for `configuration`.
    public init(configuration: BridgeConfiguration) { self.configuration = configuration }

    /// Publishes `records` and returns once the broker acknowledged all of them.
    public func publish(_ records: [ArchiveRecord]) async throws(Failure) {
        var settings = configuration.mosquittoConfiguration
        settings.clientID = configuration.mqtt.clientID + "-replay"
        settings.will = nil
        let client: MosquittoClient
        do {
            client = try MosquittoClient(configuration: settings)
        } catch {
            throw .client(error)
        }
        let publisher = Publisher(client: client, configuration: configuration)
        let events = client.events()
        let outcome = await Self.run(client: client, publisher: publisher, events: events, records: records)
        await client.disconnect()
        if let failure = outcome { throw failure }
    }

    /// How long to wait for the broker to accept the connection (documented on `archive replay`).
    public static let connectTimeout: Duration = .seconds(10)
    /// How long the whole replay may take, acknowledgements included.
    public static let replayTimeout: Duration = .seconds(40)

    private static func run(client: MosquittoClient, publisher: Publisher, events: AsyncStream<MosquittoEvent>, records: [ArchiveRecord]) async -> Failure? {
        let configuration = client.configuration
        do {
            try client.connect()
        } catch {
            return .client(error)
        }
        /// Whether the broker accepted the connection.
        let connected = Locked(false)
        /// Messages not acknowledged yet; nil until all are handed to the client.
        let unacknowledged = Locked<Int?>(nil)
        let outcome = await withDeadlines(connect: connectTimeout, total: replayTimeout, connected: connected) { () -> Failure? in
            var iterator = events.makeAsyncIterator()
            while let event = await iterator.next() {
                if case .connected = event {
                    connected.withLock { $0 = true }
                    break
                }
            }
            guard connected.value else { return nil }  // cancelled: the deadline passed
            var pending: Set<MessageID> = []
            let (qos, retain) = publisher.archiveDelivery
            do throws(MosquittoError) {
                for record in records {
                    for message in publisher.archiveMessages(record) {
                        pending.insert(try client.publish(topic: message.topic, text: message.payload, qos: qos, retain: retain))
                    }
                }
            } catch {
                return .client(error)
            }
            unacknowledged.withLock { $0 = pending.count }
            while !pending.isEmpty, let event = await iterator.next() {
                if case .published(let id) = event, pending.remove(id) != nil {
                    unacknowledged.withLock { $0 = pending.count }
                }
            }
            return nil
        }
        if case .some(.some(let failure)) = outcome { return failure }
        guard connected.value else { return .noBroker(host: configuration.host, port: configuration.port) }
        switch unacknowledged.value {
        case 0: return nil
        case let count?: return .unacknowledged(count)
        case nil: return .unacknowledged(records.reduce(0) { $0 + publisher.archiveMessages($1).count })
        }
    }
}

/// The result of `body`, or `nil` if it did not finish in time: within `connect` unless
/// `connected` is set by then, and within `total` in any case.
func withDeadlines<T: Sendable>(
    connect: Duration, total: Duration, connected: Locked<Bool>, _ body: @escaping @Sendable () async -> T
) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await Task.sleep(for: connect)
            if connected.value { try? await Task.sleep(for: total - connect) }
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

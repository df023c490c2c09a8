import Foundation
import Mosquitto
import Synchronization

/// An MQTT client for tests that subscribes to a filter and records every message it receives,
/// in order, with helpers to await them.
///
/// ```swift
/// let subscriber = try await TestSubscriber.connect(to: broker)          // aurora/# by default
/// … run the code under test …
/// let state = try await subscriber.waitForMessage(topic: "aurora/bridge/state")
/// #expect(state.text == "online" && state.retain)
/// ```
///
/// It renews its subscription after a reconnect, so it survives broker restarts.
public final class TestSubscriber: Sendable {
    /// One received message.
    public struct Message: Sendable, Hashable, CustomStringConvertible {
        /// The topic it was published on.
        public let topic: String
        /// The payload bytes.
        public let payload: [UInt8]
        /// Whether it was delivered from the broker's retained store.
        public let retain: Bool
        /// The QoS it was delivered with (the lower of publish and subscription QoS).
        public let qos: QoS
        /// The payload as UTF-8 text.
        public var text: String { String(decoding: payload, as: UTF8.self) }
        public var description: String { "\(topic) \(retain ? "[retained] " : "")\(text)" }
    }

    /// The underlying client (to publish, or to watch its events).
    public let client: MosquittoClient
    /// The subscribed filter.
    public let filter: String
    private let recorder: Recorder

    private init(client: MosquittoClient, filter: String, recorder: Recorder) {
        self.client = client
        self.filter = filter
        self.recorder = recorder
    }

    /// Connects to `broker`'s plain listener, subscribes to `filter` and returns once the
    /// broker has acknowledged the subscription (so retained messages are on their way).
    public static func connect(
        to broker: TestBroker,
        filter: String = "aurora/#",
        qos: QoS = .exactlyOnce,
        credentials: Credentials? = nil,
        timeout: Duration = Deadline.eventTimeout
    ) async throws -> TestSubscriber {
        var configuration = broker.clientConfiguration(clientID: "test-subscriber-\(UUID().uuidString.prefix(8))")
        configuration.credentials = credentials
        return try await connect(configuration: configuration, filter: filter, qos: qos, timeout: timeout)
    }

    /// Connects with `configuration`, subscribes to `filter` and returns once subscribed.
    public static func connect(
        configuration: MosquittoConfiguration,
        filter: String = "aurora/#",
        qos: QoS = .exactlyOnce,
        timeout: Duration = Deadline.eventTimeout
    ) async throws -> TestSubscriber {
        let client = try MosquittoClient(configuration: configuration)
        let recorder = Recorder()
        let events = client.events()
        Task { await recorder.record(events) }
        try client.subscribe(filter, qos: qos)  // sent when the connection is up
        try client.connect()
        let subscriber = TestSubscriber(client: client, filter: filter, recorder: recorder)
        try await Deadline.until("subscriber to subscribe to \(filter) on \(configuration.host):\(configuration.port)", timeout: timeout) {
            if let refusal = recorder.refusal { throw refusal }
            return recorder.subscriptions > 0
        }
        return subscriber
    }

    /// Every message received so far, in order of arrival.
    public var messages: [Message] { recorder.messages }

    /// The messages received so far on exactly `topic`, in order.
    public func messages(on topic: String) -> [Message] {
        recorder.messages.filter { $0.topic == topic }
    }

    /// How many times the broker has acknowledged the subscription (1, plus one per reconnect).
    public var subscriptionCount: Int { recorder.subscriptions }

    /// The first message on `topic` (already received or still to come) that satisfies `predicate`.
    /// - Throws: ``Deadline/Expired`` after `timeout`, naming what was received instead.
    @discardableResult
    public func waitForMessage(
        topic: String,
        timeout: Duration = Deadline.eventTimeout,
        where predicate: @Sendable (Message) -> Bool = { _ in true }
    ) async throws -> Message {
        do {
            return try await Deadline.wait(for: "a message on \(topic)", timeout: timeout) {
                recorder.messages.first { $0.topic == topic && predicate($0) }
            }
        } catch let expired as Deadline.Expired {
            throw Deadline.Expired(what: "\(expired.what) (received: \(messages))", timeout: expired.timeout)
        }
    }

    /// Waits until at least `count` messages have been received in total and returns them all.
    @discardableResult
    public func waitUntil(count: Int, timeout: Duration = Deadline.eventTimeout) async throws -> [Message] {
        try await Deadline.wait(for: "\(count) messages on \(filter)", timeout: timeout) {
            let messages = recorder.messages
            return messages.count >= count ? messages : nil
        }
    }

    /// Forgets the messages received so far.
    public func clear() {
        recorder.clear()
    }

    /// Disconnects cleanly.
    public func close() async {
        await client.disconnect()
    }
}

/// The subscriber's record, filled by a task draining the client's events.
private final class Recorder: Sendable {
    private struct State {
        var messages: [TestSubscriber.Message] = []
        var subscriptions = 0
        var refusal: MosquittoError?
    }

    private let state = Mutex(State())

    var messages: [TestSubscriber.Message] { state.withLock { $0.messages } }
    var subscriptions: Int { state.withLock { $0.subscriptions } }
    var refusal: MosquittoError? { state.withLock { $0.refusal } }

    func clear() { state.withLock { $0.messages.removeAll() } }

    /// Runs until the client disconnects or is deinitialised (which ends the stream).
    func record(_ events: AsyncStream<MosquittoEvent>) async {
        for await event in events {
            state.withLock { state in
                switch event {
                case .message(let message):
                    state.messages.append(TestSubscriber.Message(
                        topic: message.topic, payload: message.payload, retain: message.retain, qos: message.qos
                    ))
                case .subscribed:
                    state.subscriptions += 1
                case .connectionRefused(let error):
                    state.refusal = error
                default:
                    break
                }
            }
        }
    }
}

import AuroraBridge
import Mosquitto
import Synchronization

/// An ``MQTTConnection`` that keeps what is published in memory and lets the test connect,
/// disconnect, acknowledge and reject, as a broker and libmosquitto would.
///
/// Ids are handed out as libmosquitto does: counting up from `firstID`, wrapping after 65 535
/// to 1, without looking at what is still in flight.
final class InMemoryOutput: MQTTConnection {
    /// One publish.
    struct Message: Sendable, Equatable {
        let id: MessageID
        let topic: String
        let text: String
        let qos: QoS
        let retain: Bool
    }

    private struct State {
        var connected = false
        var lastID: Int
        var messages: [Message] = []
        var acknowledged = 0
        var continuations: [AsyncStream<MosquittoEvent>.Continuation] = []
        var subscriptions: Set<String> = []
        var disconnected = false
        var health = MosquittoHealth(loop: .running)
    }

    private let state: Mutex<State>
    /// Whether every message of QoS 1 or 2 is acknowledged as soon as it is published.
    private let acknowledging: Bool

    init(connected: Bool = false, firstID: Int = 1, acknowledging: Bool = false) {
        state = Mutex(State(connected: connected, lastID: firstID - 1))
        self.acknowledging = acknowledging
    }

    func publish(topic: String, payload: [UInt8], qos: QoS, retain: Bool) throws(MosquittoError) -> MessageID {
        let id = try state.withLock { (state: inout State) throws(MosquittoError) -> MessageID in
            if qos == .atMostOnce, !state.connected { throw MosquittoError(code: .noConnection, operation: "publish QoS 0") }
            state.lastID = state.lastID >= 65_535 ? 1 : state.lastID + 1
            let id = MessageID(rawValue: state.lastID)
            state.messages.append(Message(id: id, topic: topic, text: String(decoding: payload, as: UTF8.self), qos: qos, retain: retain))
            return id
        }
        if acknowledging, qos != .atMostOnce { acknowledge(id) }
        return id
    }

    @discardableResult
    func subscribe(_ filter: String, qos: QoS) throws(MosquittoError) -> MessageID? {
        state.withLock { _ = $0.subscriptions.insert(filter) }
        return nil
    }

    @discardableResult
    func unsubscribe(_ filter: String) throws(MosquittoError) -> MessageID? {
        state.withLock { _ = $0.subscriptions.remove(filter) }
        return nil
    }

    /// Disconnects and ends every event stream, as the client's `disconnect()` does.
    func disconnect() async {
        state.withLock {
            $0.connected = false
            $0.disconnected = true
        }
        finish()
    }

    var health: MosquittoHealth {
        get { state.withLock { $0.health } }
        set { state.withLock { $0.health = newValue } }
    }

    /// The filters subscribed to now.
    var subscriptions: Set<String> { state.withLock { $0.subscriptions } }

    /// Whether ``disconnect()`` was called.
    var isDisconnected: Bool { state.withLock { $0.disconnected } }

    var isConnected: Bool { state.withLock { $0.connected } }

    func events(bufferingPolicy: AsyncStream<MosquittoEvent>.Continuation.BufferingPolicy) -> AsyncStream<MosquittoEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: MosquittoEvent.self, bufferingPolicy: bufferingPolicy)
        state.withLock { $0.continuations.append(continuation) }
        return stream
    }

    /// Everything published so far.
    var messages: [Message] { state.withLock { $0.messages } }

    /// The broker accepts the connection.
    func connect(sessionPresent: Bool = false) {
        state.withLock { $0.connected = true }
        emit(.connected(ConnectionAcknowledgement(sessionPresent: sessionPresent)))
    }

    /// The connection is lost.
    func drop() {
        state.withLock { $0.connected = false }
        emit(.disconnected(.unexpected(MosquittoError(code: .noConnection, operation: "lost in a test"))))
    }

    /// The broker acknowledges `id`.
    func acknowledge(_ id: MessageID) { emit(.published(id)) }

    /// The broker acknowledges every message published since the last call, in order.
    /// - Returns: How many it acknowledged.
    @discardableResult
    func acknowledgeNew() -> Int {
        let new = state.withLock { state in
            defer { state.acknowledged = state.messages.count }
            return state.messages[state.acknowledged...].map(\.id)
        }
        for id in new { acknowledge(id) }
        return new.count
    }

    /// A message of a subscription arrives.
    func receive(_ message: MosquittoMessage) { emit(.message(message)) }

    /// The connection is lost with `error` (libmosquitto's reason).
    func drop(with error: MosquittoError) {
        state.withLock { $0.connected = false }
        emit(.disconnected(.unexpected(error)))
    }

    /// The broker rejects `id` with reason 135 (not authorised).
    func reject(_ id: MessageID) { emit(.publishRejected(id, .notAuthorizedV5)) }

    /// Ends every event stream, as `disconnect()` does.
    func finish() {
        let continuations = state.withLock { $0.continuations }
        for continuation in continuations { continuation.finish() }
    }

    private func emit(_ event: MosquittoEvent) {
        let continuations = state.withLock { $0.continuations }
        for continuation in continuations { continuation.yield(event) }
    }
}

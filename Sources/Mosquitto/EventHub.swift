import CMosquitto
import Synchronization

/// Fans libmosquitto's callbacks out to every ``MosquittoClient/events(bufferingPolicy:)``
/// stream, tracks the connection state, and remembers subscriptions to renew after a reconnect.
///
/// libmosquitto gets an unretained pointer to the hub as its userdata; the owning
/// ``MosquittoClient`` keeps the hub alive until after `mosquitto_destroy`, so no callback can
/// outlive it. Callbacks run on the client's network thread (``NetworkLoop``; log lines also on
/// the caller's thread); all mutable state sits in one `Mutex`, held only briefly and never across a call
/// into libmosquitto.
final class EventHub: Sendable {
    private struct State {
        var continuations: [Int: AsyncStream<MosquittoEvent>.Continuation] = [:]
        var nextToken = 0
        var isConnected = false
        var isFinished = false
        /// Filter → QoS, in the order first subscribed.
        var subscriptions: [(filter: String, qos: QoS)] = []
    }

    private let state = Mutex(State())
    let logHandler: (@Sendable (MosquittoLogLevel, String) -> Void)?

    init(logHandler: (@Sendable (MosquittoLogLevel, String) -> Void)?) {
        self.logHandler = logHandler
    }

    static func from(_ userdata: UnsafeMutableRawPointer) -> EventHub {
        Unmanaged<EventHub>.fromOpaque(userdata).takeUnretainedValue()
    }

    var userdata: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    var isConnected: Bool { state.withLock { $0.isConnected } }

    // MARK: - Consumers

    func makeStream(bufferingPolicy: AsyncStream<MosquittoEvent>.Continuation.BufferingPolicy) -> AsyncStream<MosquittoEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: MosquittoEvent.self, bufferingPolicy: bufferingPolicy)
        let registered = state.withLock { state in
            guard !state.isFinished else { return false }
            state.continuations[state.nextToken] = continuation
            state.nextToken += 1
            return true
        }
        if !registered { continuation.finish() }
        return stream
    }

    /// Ends every stream; later ``makeStream(bufferingPolicy:)`` calls get finished streams.
    func finish() {
        let continuations = state.withLock { state in
            state.isFinished = true
            state.isConnected = false
            defer { state.continuations.removeAll() }
            return Array(state.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }

    /// Yields under the lock so every stream sees events in callback order, and forgets the
    /// streams that ended (their consumers stopped iterating).
    func emit(_ event: MosquittoEvent) {
        state.withLock { state in
            switch event {
            case .connected: state.isConnected = true
            case .disconnected, .connectionRefused: state.isConnected = false
            default: break
            }
            var ended: [Int] = []
            for (token, continuation) in state.continuations {
                if case .terminated = continuation.yield(event) { ended.append(token) }
            }
            for token in ended { state.continuations.removeValue(forKey: token) }
        }
    }

    // MARK: - Subscriptions to renew

    func remember(filter: String, qos: QoS) {
        state.withLock { state in
            if let index = state.subscriptions.firstIndex(where: { $0.filter == filter }) {
                state.subscriptions[index].qos = qos
            } else {
                state.subscriptions.append((filter, qos))
            }
        }
    }

    func forget(filter: String) {
        state.withLock { $0.subscriptions.removeAll { $0.filter == filter } }
    }

    // MARK: - Callbacks (libmosquitto's thread)

    func didConnect(_ mosq: OpaquePointer, code: Int32, flags: Int32) {
        guard code == 0 else {
            emit(.connectionRefused(.refused(ReasonCode(rawValue: Int(code)))))
            return
        }
        let sessionPresent = flags & 1 != 0
        emit(.connected(ConnectionAcknowledgement(reasonCode: .success, sessionPresent: sessionPresent)))
        guard !sessionPresent else { return }
        // The broker forgot our subscriptions; renew them. Calling libmosquitto from its own
        // callback is allowed; SUBACKs arrive as `.subscribed` events.
        let renew = state.withLock { $0.subscriptions }
        for (filter, qos) in renew {
            let result = mosquitto_subscribe(mosq, nil, filter, qos.cValue)
            if result != MOSQ_ERR_SUCCESS.rawValue {
                log(.warning, "renewing subscription \(filter) failed: \(MosquittoError.Code(result))")
            }
        }
    }

    func didDisconnect(code: Int32) {
        guard code != 0 else {
            emit(.disconnected(.requested))
            return
        }
        let error: MosquittoError
        if code >= 128 {
            // An MQTT 5 DISCONNECT from the broker, with its reason code.
            error = MosquittoError(code: .connectionLost, operation: "connection", reasonCode: ReasonCode(rawValue: Int(code)))
        } else {
            error = .fromResult(code, operation: "connection")
        }
        emit(.disconnected(.unexpected(error)))
    }

    func didPublish(messageID: Int32, reasonCode: Int32) {
        if reasonCode >= 128 {
            emit(.publishRejected(MessageID(messageID), ReasonCode(rawValue: Int(reasonCode))))
        } else {
            emit(.published(MessageID(messageID)))
        }
    }

    func didReceive(_ message: UnsafePointer<mosquitto_message>) {
        let raw = message.pointee
        let topic = raw.topic.map { String(cString: $0) } ?? ""
        let payload: [UInt8] = if let bytes = raw.payload, raw.payloadlen > 0 {
            Array(UnsafeRawBufferPointer(start: bytes, count: Int(raw.payloadlen)))
        } else {
            []
        }
        emit(.message(MosquittoMessage(
            topic: topic,
            payload: payload,
            qos: QoS(rawValue: Int(raw.qos)) ?? .atMostOnce,
            retain: raw.retain,
            messageID: MessageID(raw.mid)
        )))
    }

    func didSubscribe(messageID: Int32, granted: UnsafeBufferPointer<Int32>) {
        let qos = granted.map { QoS(rawValue: Int($0)) }
        emit(.subscribed(MessageID(messageID), grantedQoS: qos))
    }

    func didUnsubscribe(messageID: Int32) {
        emit(.unsubscribed(MessageID(messageID)))
    }

    func log(_ level: MosquittoLogLevel, _ line: String) {
        logHandler?(level, line)
    }
}

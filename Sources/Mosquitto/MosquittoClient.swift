import CMosquitto
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An MQTT client: one libmosquitto `struct mosquitto *` with its own network thread.
///
/// ```swift
/// let client = try MosquittoClient(configuration: configuration)
/// let events = client.events()              // register before connecting or publishing
/// try client.connect()                       // returns at once; watch for .connected
/// let mid = try client.publish(topic: "aurora/bridge/state", text: "online", qos: .atLeastOnce, retain: true)
/// for await event in events { if case .published(mid) = event { break } }
/// await client.disconnect()
/// ```
///
/// - Important: The network loop runs on the client's own thread (``NetworkLoop``, calling
///   `mosquitto_loop`), never on the Swift concurrency pool. Whatever ends a connection (a
///   lost network, a broker restart, a CONNACK refusal under any protocol version, a server
///   DISCONNECT, a TLS or lookup error) that thread reconnects by itself, waiting as
///   ``ReconnectPolicy`` says, on the same libmosquitto handle: the will, credentials and
///   queued QoS 1/2 messages stay, and subscriptions are renewed. ``health`` tells a watchdog
///   whether it is getting anywhere. A client is used once: ``connect()`` once,
///   ``disconnect()`` once; make a new client to connect again.
public final class MosquittoClient: Sendable {
    private enum Phase: Sendable {
        case idle, running, stopped
    }

    private struct Core {
        /// The `struct mosquitto *`, shared with the network thread.
        let handle: MosquittoHandle
        var phase: Phase = .idle
        /// The network thread, from ``connect()`` on.
        var loop: NetworkLoop?

        var pointer: OpaquePointer { handle.pointer }
    }

    /// The configuration the client was created with.
    public let configuration: MosquittoConfiguration
    /// The handle and lifecycle. libmosquitto's threaded API is safe to call from several
    /// threads; the lock adds the lifecycle check (no use after `disconnect()`), and is never
    /// taken inside a libmosquitto callback or by the network thread.
    private let core: Mutex<Core>
    private let hub: EventHub

    /// Creates the client and applies `configuration`; does not connect yet.
    ///
    /// Wraps `mosquitto_new` and the option setters (`mosquitto_int_option`,
    /// `mosquitto_username_pw_set`, `mosquitto_will_set`, `mosquitto_tls_set`,
    /// `mosquitto_tls_opts_set`, `mosquitto_tls_insecure_set`, `mosquitto_tls_psk_set`,
    /// `mosquitto_max_inflight_messages_set`) and `mosquitto_threaded_set`.
    /// - Throws: ``MosquittoError`` if an option is rejected (e.g. an unreadable CA file).
    public init(configuration: MosquittoConfiguration) throws(MosquittoError) {
        MosquittoLibrary.ensureInitialized()
        self.configuration = configuration
        let hub = EventHub(logHandler: configuration.logHandler)
        self.hub = hub
        guard let pointer = mosquitto_new(configuration.clientID, configuration.cleanSession, hub.userdata) else {
            let code: MosquittoError.Code = errno == ENOMEM ? .outOfMemory : .invalidArgument
            throw MosquittoError(code: code, operation: "create client (a client id is required when cleanSession is false)")
        }
        do {
            try Self.apply(configuration, to: pointer)
        } catch {
            mosquitto_destroy(pointer)
            throw error
        }
        Self.installCallbacks(on: pointer)
        // Our own thread runs the loop: publish and friends must only queue and wake it.
        _ = mosquitto_threaded_set(pointer, true)
        self.core = Mutex(Core(handle: MosquittoHandle(pointer: pointer, hub: hub)))
    }

    deinit {
        core.withLock { core in
            if core.phase == .running {
                // Clean DISCONNECT, so the broker discards the will; the network thread writes
                // it and ends, and the handle is destroyed when the thread lets go of it.
                _ = mosquitto_disconnect(core.pointer)
                core.loop?.requestStop()
            }
        }
        hub.finish()
    }

    // MARK: - Events

    /// A new stream of everything that happens from now on. Each call registers an independent
    /// consumer; the stream ends when the client disconnects or is deinitialised, and is
    /// dropped at the next event once its consumer stops iterating.
    ///
    /// - Parameter bufferingPolicy: unbounded by default, so PUBACKs are never dropped; a
    ///   consumer that stops reading should end its iteration to free the buffer.
    public func events(
        bufferingPolicy: AsyncStream<MosquittoEvent>.Continuation.BufferingPolicy = .unbounded
    ) -> AsyncStream<MosquittoEvent> {
        hub.makeStream(bufferingPolicy: bufferingPolicy)
    }

    /// Whether the broker has accepted the connection and it has not been lost since.
    public var isConnected: Bool { hub.isConnected }

    /// The network thread's state and how long the client has been without a connection, for a
    /// watchdog: see ``MosquittoHealth/problem(at:maxDisconnected:maxLoopSilence:)``.
    public var health: MosquittoHealth {
        core.withLock { $0.loop?.health } ?? MosquittoHealth()
    }

    // MARK: - Connection

    /// Starts connecting in the background and returns at once; ``MosquittoEvent/connected(_:)``
    /// follows when the broker accepts.
    ///
    /// Wraps `mosquitto_connect_bind_async` and starts the network thread. If the broker cannot
    /// be reached yet (refused, unreachable, name not resolvable), this still succeeds: the
    /// network thread retries with the configured back-off until it connects.
    /// - Throws: ``MosquittoError`` for bad options (e.g. keep-alive, TLS files) or if already started.
    public func connect() throws(MosquittoError) {
        let configuration = configuration
        let hub = hub
        let endpoint = "\(configuration.host):\(configuration.port)"
        try core.withLock { (core: inout Core) throws(MosquittoError) in
            guard core.phase == .idle else {
                throw MosquittoError(code: .invalidArgument, operation: "connect (a client connects once; create a new client)")
            }
            let result = mosquitto_connect_bind_async(
                core.pointer, configuration.host, Int32(clamping: configuration.port),
                configuration.keepAliveSeconds, configuration.bindAddress
            )
            switch MosquittoError.Code(result) {
            case .success:
                break
            case .systemError, .lookup:
                // Broker not up or not resolvable yet: the network thread retries.
                let error = MosquittoError.fromResult(result, operation: "first connect to \(endpoint)")
                hub.log(.notice, "\(error.description) (retrying in the background)")
            default:
                throw MosquittoError.fromResult(result, operation: "connect to \(endpoint)")
            }
            let loop = NetworkLoop(handle: core.handle, policy: configuration.reconnect, endpoint: endpoint)
            loop.start()
            core.loop = loop
            core.phase = .running
        }
    }

    /// Sends DISCONNECT (so the broker discards the will), stops the network thread and ends
    /// every event stream. Safe to call more than once.
    ///
    /// Wraps `mosquitto_disconnect`; waits until the network thread has written the DISCONNECT
    /// (at most a couple of seconds) and ended. The wait happens on a helper thread, never on
    /// the Swift concurrency pool.
    public func disconnect() async {
        let running: NetworkLoop? = core.withLock { core in
            defer { core.phase = .stopped }
            guard core.phase == .running, let loop = core.loop else { return nil }
            _ = mosquitto_disconnect(core.pointer)
            loop.requestStop()
            return loop
        }
        if let running {
            await BlockingThread.run { running.waitUntilFinished() }
        }
        hub.finish()
    }

    // MARK: - Publishing

    /// Publishes `payload` to `topic` and returns its message id; the matching
    /// ``MosquittoEvent/published(_:)`` reports completion.
    ///
    /// Wraps `mosquitto_publish`.
    ///
    /// While disconnected, libmosquitto keeps a QoS 1 or 2 message in memory and sends it after
    /// the reconnect (it returns `MOSQ_ERR_NO_CONN`, but the message is queued): this method
    /// returns its id as usual, and the caller must not publish it again. A QoS 0 message is
    /// dropped while disconnected: this method throws ``MosquittoError/Code/noConnection``.
    /// Queued messages live only as long as this client; the broker never sees them if the
    /// process ends first.
    /// - Throws: ``MosquittoError``: `.noConnection` (QoS 0 dropped, or client disconnected),
    ///   `.invalidArgument` (e.g. wildcards in the topic), `.payloadTooLarge`, `.malformedUTF8`.
    @discardableResult
    public func publish(topic: String, payload: [UInt8], qos: QoS = .atMostOnce, retain: Bool = false) throws(MosquittoError) -> MessageID {
        try core.withLock { (core: inout Core) throws(MosquittoError) -> MessageID in
            guard core.phase != .stopped else {
                throw MosquittoError(code: .noConnection, operation: "publish to \"\(topic)\" (client disconnected)")
            }
            var messageID: Int32 = 0
            let pointer = core.pointer
            let result = payload.withUnsafeBytes { bytes in
                mosquitto_publish(pointer, &messageID, topic, Int32(clamping: bytes.count), bytes.baseAddress, qos.cValue, retain)
            }
            switch MosquittoError.Code(result) {
            case .success:
                return MessageID(messageID)
            case .noConnection where qos != .atMostOnce:
                return MessageID(messageID)  // queued by libmosquitto; sent after reconnect
            case .noConnection:
                throw MosquittoError(code: .noConnection, operation: "publish QoS 0 to \"\(topic)\" (message dropped)")
            default:
                throw MosquittoError.fromResult(result, operation: "publish to \"\(topic)\"")
            }
        }
    }

    /// Publishes UTF-8 `text`; see ``publish(topic:payload:qos:retain:)``.
    @discardableResult
    public func publish(topic: String, text: String, qos: QoS = .atMostOnce, retain: Bool = false) throws(MosquittoError) -> MessageID {
        try publish(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }

    // MARK: - Subscribing

    /// Subscribes to `filter` (wildcards `+` and `#` allowed) now if connected, and again after
    /// every reconnect in which the broker lost the session.
    ///
    /// Wraps `mosquitto_subscribe`.
    /// - Returns: the SUBSCRIBE's message id (matched by ``MosquittoEvent/subscribed(_:grantedQoS:)``),
    ///   or `nil` if not connected right now; the subscription is then sent on connect.
    /// - Throws: ``MosquittoError`` for an invalid filter or after ``disconnect()``.
    @discardableResult
    public func subscribe(_ filter: String, qos: QoS = .atLeastOnce) throws(MosquittoError) -> MessageID? {
        try MosquittoError.check(mosquitto_sub_topic_check(filter), "subscribe to \"\(filter)\" (invalid filter)")
        let hub = hub
        return try core.withLock { (core: inout Core) throws(MosquittoError) -> MessageID? in
            guard core.phase != .stopped else {
                throw MosquittoError(code: .noConnection, operation: "subscribe to \"\(filter)\" (client disconnected)")
            }
            hub.remember(filter: filter, qos: qos)
            var messageID: Int32 = 0
            let result = mosquitto_subscribe(core.pointer, &messageID, filter, qos.cValue)
            switch MosquittoError.Code(result) {
            case .success:
                return MessageID(messageID)
            case .noConnection:
                return nil
            default:
                hub.forget(filter: filter)
                throw MosquittoError.fromResult(result, operation: "subscribe to \"\(filter)\"")
            }
        }
    }

    /// Unsubscribes from `filter` and stops renewing it after reconnects.
    ///
    /// Wraps `mosquitto_unsubscribe`.
    /// - Returns: the UNSUBSCRIBE's message id, or `nil` if not connected (nothing to tell the broker).
    @discardableResult
    public func unsubscribe(_ filter: String) throws(MosquittoError) -> MessageID? {
        let hub = hub
        return try core.withLock { (core: inout Core) throws(MosquittoError) -> MessageID? in
            hub.forget(filter: filter)
            guard core.phase != .stopped else { return nil }
            var messageID: Int32 = 0
            let result = mosquitto_unsubscribe(core.pointer, &messageID, filter)
            switch MosquittoError.Code(result) {
            case .success: return MessageID(messageID)
            case .noConnection: return nil
            default: throw MosquittoError.fromResult(result, operation: "unsubscribe from \"\(filter)\"")
            }
        }
    }

    // MARK: - Testing

    /// Cuts the TCP connection under libmosquitto's feet, as a network failure would: no
    /// DISCONNECT is sent, so the broker publishes the will, and the network thread reconnects.
    ///
    /// Wraps `mosquitto_socket` and `shutdown(2)`. For tests only.
    @_spi(Testing)
    public func dropConnectionForTesting() {
        core.withLock { core in
            let socket = mosquitto_socket(core.pointer)
            if socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }
}

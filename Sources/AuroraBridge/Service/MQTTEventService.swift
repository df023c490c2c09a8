import Logging
import Mosquitto
import ServiceLifecycle

/// Reacts to the MQTT client's events for as long as the bridge runs: `online` and discovery on
/// every connect, reconnect counting, Home Assistant's announcements. (Archive
/// acknowledgements are the ``ArchiveOutbox``'s: it reads the same events itself.)
///
/// It is the first service started and the last stopped. On a shutdown it announces `offline`
/// (retained) and waits briefly for its acknowledgement (by then the archive records published
/// before are acknowledged too), then disconnects cleanly so the broker does not send the will.
///
/// On a reload the client stays connected for the next configuration's bridge (a new connection
/// with the same client id would take the session over, and the broker would publish the old
/// connection's will), and this service only stops listening.
struct MQTTEventService: Service, CustomStringConvertible {
    let client: any MQTTConnection
    /// Subscribed before the client connected, so the first `connected` event is not missed.
    let events: AsyncStream<MosquittoEvent>
    let publisher: Publisher
    let counters: Locked<BridgeCounters>
    let progress: BridgeProgress
    let reloading: Locked<Bool>
    let logger: Logger
    /// Where broker outages are recorded (`broker_lost`, `broker_regained` with their length).
    var recorder: EventRecorder?
    /// Where time comes from, for an outage's length.
    var clock: any WallClock = SystemWallClock()

    var description: String { "mqtt" }

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                if client.isConnected {
                    // Carried over from before a reload: no `connected` event will come.
                    await publisher.connected()
                    progress.announceReady()
                }
                if let failure = await handle(events) { throw failure }
            }
            // Cancelled instead when another service failed: stop the same way.
            group.addTask { try? await gracefulShutdown() }
            // The shutdown, or a broker the bridge cannot work with (thrown: the bridge stops).
            try await group.next()
            if !reloading.value {
                await announceOffline()
                await client.disconnect()  // ends the event stream once the last events are handled
            } else {
                if let topic = publisher.discoveryStatusTopic { _ = try? client.unsubscribe(topic) }
                group.cancelAll()
            }
            try await group.waitForAll()
        }
    }

    /// Handles `events` until they end, or until the broker shows it cannot take QoS 2.
    private func handle(_ events: AsyncStream<MosquittoEvent>) async -> QoS2NotSupported? {
        var problems = ConnectionProblemFilter()  // one line per problem per outage, not per attempt
        var lostAt: Double?
        for await event in events {
            switch problems.report(for: event) {
            case .refused(let error)?:
                logger.error("the broker refused the connection", metadata: ["error": "\(error)"])
            case .lost(.unexpected(let error))? where error.code == .protocolError && publisher.archiveDelivery.qos == .exactlyOnce:
                // RabbitMQ answers a QoS 2 PUBLISH with a PUBACK; libmosquitto calls that a
                // protocol error, drops the connection, and sends the message again on every
                // reconnect: the bridge would never get a packet through.
                let failure = QoS2NotSupported(error: error)
                logger.critical("\(failure.description)")
                return failure
            case .lost(let reason)?:
                logger.warning("disconnected from the broker; reconnecting", metadata: ["reason": "\(reason)"])
                if lostAt == nil {
                    lostAt = clock.monotonicNow()
                    await recorder?.record(.brokerLost, details: [("reason", .text("\(reason)"))])
                }
            case nil:
                break
            }
            switch event {
            case .connected:
                let first = counters.withLock { counters in
                    counters.connects += 1
                    if counters.connects > 1 { counters.reconnects += 1 }
                    return counters.connects == 1
                }
                logger.info(first ? "connected to the broker" : "reconnected to the broker")
                if let since = lostAt {
                    lostAt = nil
                    await recorder?.record(.brokerRegained, details: [("seconds", .integer(Int64((clock.monotonicNow() - since).rounded())))])
                }
                await publisher.connected()
                progress.announceReady()
            case .connectionRefused, .disconnected:
                break  // logged above
            case .publishRejected(let id, let reason):
                logger.warning("the broker rejected a message", metadata: ["id": "\(id)", "reason": "\(reason)"])
            case .message(let message):
                await publisher.received(message)
            case .published, .subscribed, .unsubscribed:  // archive acknowledgements: see ArchiveOutbox
                break
            }
        }
        return nil
    }

    /// Publishes the retained `offline` and waits up to two seconds for its acknowledgement.
    private func announceOffline() async {
        guard client.isConnected else { return }
        let events = client.events(bufferingPolicy: .unbounded)
        guard let id = await publisher.goingOffline() else { return }
        _ = await withTimeout(.seconds(2)) { () async -> Void? in
            for await event in events {
                if case .published(id) = event { return () }
            }
            return nil
        }
    }
}

/// The broker dropped the connection with a protocol error while the bridge publishes at QoS 2:
/// it does not support QoS 2 (RabbitMQ's MQTT plugin is one). A configuration problem:
/// `aurora-bridge run` exits 78 for it, which the systemd units do not restart.
public struct QoS2NotSupported: Error, CustomStringConvertible {
    /// The disconnection's error.
    let error: MosquittoError

    public var description: String {
        "the broker broke the connection over a QoS 2 publication (\(error)): it does not support QoS 2 "
            + "(RabbitMQ's MQTT plugin does not); set [mqtt] qos = 1 and start the bridge again"
    }
}

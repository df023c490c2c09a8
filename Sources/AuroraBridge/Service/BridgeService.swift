import AuroraLink
import AuroraProtocol
import Dispatch
import Logging
import Mosquitto
import ServiceLifecycle

/// The running bridge: polls the bus, publishes to MQTT, archives, reports stats and talks to
/// systemd, until a graceful shutdown (SIGTERM/SIGINT) or a reload (SIGHUP).
///
/// On shutdown it saves the open archive intervals, publishes `offline` (retained) and waits
/// briefly for the broker's acknowledgement (by then the archive records published before are
/// acknowledged too, and marked delivered), then disconnects cleanly so the will is not sent.
/// On a reload it saves the open intervals and leaves the MQTT connection to the next service
/// (a new connection with the same client id would take the session over, and the broker would
/// publish the old connection's will: `offline`).
public struct BridgeService: Service {
    /// The configuration in force.
    public let configuration: BridgeConfiguration
    /// Where time comes from.
    public let clock: any WallClock
    /// The systemd notification channel.
    public let notifier: SystemdNotifier
    /// Set to true before triggering a graceful shutdown that is a reload.
    public let reloading: Locked<Bool>
    /// A client the caller created and connected (and keeps across reloads), or nil for the
    /// service to create, connect and disconnect its own.
    public let client: MosquittoClient?
    /// The archive's delivery window, created with `client` and kept across reloads so that
    /// records in flight are not published again; nil for the service to make its own.
    public let outbox: ArchiveOutbox?
    private let logger: Logger

    /// A bridge for `configuration`.
    public init(
        configuration: BridgeConfiguration,
        clock: any WallClock = SystemWallClock(),
        notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
        reloading: Locked<Bool> = Locked(false),
        client: MosquittoClient? = nil,
        outbox: ArchiveOutbox? = nil,
        logger: Logger = Logger(label: "aurora.bridge")
    ) {
        self.client = client
        self.outbox = outbox
        self.configuration = configuration
        self.clock = clock
        self.notifier = notifier
        self.reloading = reloading
        self.logger = logger
    }

    public func run() async throws {
        let started = clock.now()
        let store = try openArchive()
        let client = try self.client ?? MosquittoClient(configuration: configuration.mosquittoConfiguration)
        let publisher = Publisher(client: client, configuration: configuration)
        let archiver = Archiver(interval: try ArchiveInterval(seconds: configuration.archive.intervalSeconds), overrides: configuration.archive.extractors)
        let outbox = self.outbox ?? ArchiveOutbox(output: client)
        // The outbox reads its own events: until the client disconnects, not just this run.
        let outboxEvents = self.outbox == nil ? Task { await outbox.run() } : nil
        await outbox.attach(store: store, publisher: publisher)
        let archive = ArchiveDelivery(archiver: archiver, store: store, outbox: outbox)
        let link = Link(configuration: configuration.linkConfiguration, logger: Logger(label: "aurora.link"))
        let counters = Locked(BridgeCounters())
        let lastProgress = Locked(clock.now())
        let ready = Locked(false)
        let announceReady: @Sendable () -> Void = { [notifier] in
            if ready.withLock({ wasReady in defer { wasReady = true }; return !wasReady }) {
                notifier.notify("READY=1\nSTATUS=polling \(configuration.inverters.count) inverter(s)")
            }
        }
        let sink = BridgeSink(configuration: configuration, publisher: publisher, archive: archive, counters: counters) { [clock] in
            lastProgress.withLock { $0 = clock.now() }
            announceReady()
        }
        let poller = Poller(
            inverters: configuration.inverters.map { inverter in
                PolledInverter(
                    name: inverter.name,
                    client: Inverter(link: link, address: UInt8(inverter.address)),
                    pollInterval: inverter.pollInterval.seconds)
            },
            maxProbeInterval: configuration.bus.probeMax.seconds,
            clock: clock,
            sink: sink)

        await archive.restoreOpenIntervals(now: Int64(clock.now()))
        let events = client.events()
        // Renewed by the client after every reconnect that lost the session.
        if let topic = publisher.discoveryStatusTopic { try client.subscribe(topic, qos: .atLeastOnce) }
        if self.client == nil { try client.connect() }
        do {
            try await link.open()
        } catch {
            logger.error("cannot open the bus yet; retrying in the background", metadata: ["error": "\(error)"])
        }
        logger.info("bridge started", metadata: ["bus": "\(configuration.bus.port)", "broker": "\(configuration.mqtt.host):\(configuration.mqtt.port)"])

        // The client's events are handled until `disconnect()` ends their stream, not cancelled
        // with the other tasks: acknowledgements arriving while the bridge stops (those of the
        // last archive records, acknowledged before `offline`) still mark records delivered.
        let handler = Task {
            if client.isConnected {
                // Carried over from before a reload: no `connected` event will come.
                await publisher.connected()
                announceReady()
            }
            await handle(events, publisher: publisher, counters: counters, announceReady: announceReady)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await poller.run() }
            group.addTask { try? await closeArchiveIntervals(archive) }
            group.addTask {
                try? await publishStats(publisher: publisher, link: link, archive: archive, outbox: outbox, counters: counters, started: started)
            }
            group.addTask { try? await pingWatchdog(lastProgress: lastProgress) }
            try? await gracefulShutdown()
            group.cancelAll()
        }

        notifier.notify("STOPPING=1")
        await archive.saveOpenIntervals()
        if !reloading.value { await announceOffline(client: client, publisher: publisher) }
        if !reloading.value || self.client == nil {
            await client.disconnect()  // ends the event stream once the last events are handled
        } else {
            // The client carries on; the next service handles its events and subscribes again
            // if its configuration says so.
            if let topic = publisher.discoveryStatusTopic { _ = try? client.unsubscribe(topic) }
            handler.cancel()
        }
        await handler.value
        if reloading.value && self.client != nil {
            outboxEvents?.cancel()  // the client carries on: its stream does not end
        } else {
            await outboxEvents?.value  // the last acknowledgements mark their records delivered
        }
        await link.close()
        logger.info(reloading.value ? "bridge stopped for a reload" : "bridge stopped")
    }

    /// Reacts to the MQTT client's events: `online` on every connect, reconnect counting,
    /// Home Assistant's announcements.
    /// Opens the archive database. While that takes longer than 10 s (the first start after an
    /// upgrade converts the archive to the current schema, see ``ArchiveStore/init(path:)``: a
    /// minute or more per inverter-year on a Raspberry Pi), it asks systemd every 10 s for 30 s
    /// more, so that `TimeoutStartSec` (90 s by default) does not kill the conversion, roll it
    /// back and start it over on every restart. The pings come from a dispatch timer, not a
    /// task: the open blocks its thread, and the cooperative pool may have only that one.
    private func openArchive() throws -> ArchiveStore {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 10, repeating: 10)
        timer.setEventHandler { [notifier] in
            notifier.notify(
                "EXTEND_TIMEOUT_USEC=30000000\nSTATUS=opening the archive database "
                    + "(converting it after an upgrade can take minutes)")
        }
        timer.resume()
        defer { timer.cancel() }
        return try ArchiveStore(path: configuration.archive.database)
    }

    private func handle(
        _ events: AsyncStream<MosquittoEvent>, publisher: Publisher,
        counters: Locked<BridgeCounters>, announceReady: @Sendable () -> Void
    ) async {
        for await event in events {
            switch event {
            case .connected:
                let first = counters.withLock { counters in
                    counters.connects += 1
                    if counters.connects > 1 { counters.reconnects += 1 }
                    return counters.connects == 1
                }
                logger.info(first ? "connected to the broker" : "reconnected to the broker")
                await publisher.connected()
                announceReady()
            case .connectionRefused(let error):
                logger.error("the broker refused the connection", metadata: ["error": "\(error)"])
            case .disconnected(.requested):
                break
            case .disconnected(let reason):
                logger.warning("disconnected from the broker; reconnecting", metadata: ["reason": "\(reason)"])
            case .publishRejected(let id, let reason):
                logger.warning("the broker rejected a message", metadata: ["id": "\(id)", "reason": "\(reason)"])
            case .message(let message):
                await publisher.received(message)
            case .published, .subscribed, .unsubscribed:  // archive acknowledgements: see ArchiveOutbox
                break
            }
        }
    }

    /// Closes each archive interval once its end has passed, with a grace period for the poll
    /// that started on the boundary; prunes old delivered records once a day.
    ///
    /// The grace period is the longest poll interval plus one request's worst case, plus 1 s:
    /// packets are stamped in whole seconds rounded down, so a poll that starts up to a second
    /// after the boundary still carries the boundary's time and belongs to the closing interval.
    private func closeArchiveIntervals(_ archive: ArchiveDelivery) async throws {
        let grace = (configuration.inverters.map(\.pollInterval.seconds).max() ?? 10)
            + configuration.bus.readTimeout.seconds * Double(configuration.bus.maxTries) + 1
        var lastPrune: Int64 = 0
        while !Task.isCancelled {
            let boundary = archive.nextBoundary(after: Int64(clock.now() - grace))
            try await clock.sleep(until: Double(boundary) + grace)
            await archive.close(through: boundary)
            if boundary - lastPrune >= 86_400 {
                await archive.prune(now: boundary, keepDays: configuration.archive.keepDays)
                lastPrune = boundary
            }
        }
    }

    private func publishStats(publisher: Publisher, link: Link, archive: ArchiveDelivery, outbox: ArchiveOutbox, counters: Locked<BridgeCounters>, started: Double) async throws {
        let interval = configuration.stats.interval.seconds
        var next = clock.now() + interval
        while !Task.isCancelled {
            try await clock.sleep(until: next)
            next += interval
            let json = counters.value.json(uptime: clock.now() - started, link: await link.statistics, archiveBacklog: await archive.backlog(), archive: await outbox.status)
            await publisher.publish(stats: json)
        }
    }

    /// Pings systemd's watchdog while the poller makes progress.
    private func pingWatchdog(lastProgress: Locked<Double>) async throws {
        guard let interval = notifier.watchdogInterval else { return }
        let slowestPoll = configuration.bus.readTimeout.seconds * Double(configuration.bus.maxTries) * 40
        let patience = max(configuration.bus.probeMax.seconds, configuration.inverters.map(\.pollInterval.seconds).max() ?? 0) * 2 + slowestPoll
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            if clock.now() - lastProgress.value < patience {
                notifier.notify("WATCHDOG=1")
            } else {
                logger.critical("the poller made no progress; letting the watchdog restart the bridge")
            }
        }
    }

    /// Publishes the retained `offline` and waits up to two seconds for its acknowledgement.
    private func announceOffline(client: MosquittoClient, publisher: Publisher) async {
        guard client.isConnected else { return }
        let events = client.events()
        guard let id = await publisher.goingOffline() else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events {
                    if case .published(id) = event { return }
                }
            }
            group.addTask { try? await Task.sleep(for: .seconds(2)) }
            await group.next()
            group.cancelAll()
        }
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

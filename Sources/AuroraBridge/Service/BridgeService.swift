import AuroraLink
import AuroraProtocol
import Dispatch
import Logging
import Mosquitto
import ServiceLifecycle

/// The running bridge: polls the bus, publishes to MQTT, archives, reports stats and talks to
/// systemd, until a graceful shutdown (SIGTERM/SIGINT) or a reload (SIGHUP).
///
/// It runs with a ``BrokerSession`` made and connected by the caller, whose
/// ``BrokerSession/service`` runs beside it in the caller's group. On shutdown it saves the
/// open archive intervals, publishes `offline` (retained) and waits briefly for the broker's
/// acknowledgement (by then the archive records published before are acknowledged too, and
/// marked delivered), then disconnects cleanly so the will is not sent. On a reload it hands
/// the open intervals to the session and leaves the session (the connection and the records in
/// flight) to the next run.
public struct BridgeService: Service {
    /// The configuration in force.
    public let configuration: BridgeConfiguration
    /// Where time comes from.
    public let clock: any WallClock
    /// The systemd notification channel.
    public let notifier: SystemdNotifier
    /// Set to true before triggering a graceful shutdown that is a reload.
    public let reloading: Locked<Bool>
    /// The MQTT client and the archive's delivery window, created and connected by the caller
    /// and kept across reloads.
    public let session: BrokerSession
    /// Whether the host clock is synchronised, asked before `clock_sync` sets an inverter clock.
    public let hostClock: @Sendable () -> HostClockState
    /// Where the link records every frame on the bus (`run --capture`), or nil.
    public let capture: (any LinkCapture)?
    /// Whether this run follows a reload (SIGHUP): it records `configuration_reloaded` rather
    /// than `started`.
    public let reloaded: Bool
    /// What the caller adds to each run (the HTTP status server).
    public let addOns: [any BridgeAddOn]
    private let logger: Logger

    /// A bridge for `configuration` on `session`.
    public init(
        configuration: BridgeConfiguration,
        session: BrokerSession,
        clock: any WallClock = SystemWallClock(),
        notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
        reloading: Locked<Bool> = Locked(false),
        hostClock: @escaping @Sendable () -> HostClockState = HostClockState.kernel,
        capture: (any LinkCapture)? = nil,
        reloaded: Bool = false,
        addOns: [any BridgeAddOn] = [],
        logger: Logger = Logger(label: "aurora.bridge")
    ) {
        self.addOns = addOns
        self.session = session
        self.reloaded = reloaded
        self.hostClock = hostClock
        self.capture = capture
        self.configuration = configuration
        self.clock = clock
        self.notifier = notifier
        self.reloading = reloading
        self.logger = logger
    }

    /// Runs ``services()`` in a group until it stops.
    public func run() async throws {
        let services = try await services()
        logger.info("bridge started", metadata: ["bus": "\(configuration.bus.port)", "broker": "\(configuration.mqtt.host):\(configuration.mqtt.port)"])
        if let warning = configuration.busCapacityWarning { logger.warning("\(warning)") }
        defer { logger.info(reloading.value ? "bridge stopped for a reload" : "bridge stopped") }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0, failureTerminationBehavior: .gracefullyShutdownGroup) },
            logger: logger))
        do {
            try await withGracefulShutdownHandler {
                try await group.run()
            } onGracefulShutdown: { [notifier] in
                notifier.notify("STOPPING=1")
            }
        } catch {
            logger.error("a part of the bridge failed; stopping", metadata: ["error": "\(error)"])
            throw error
        }
    }

    /// The bridge's services for this configuration, in the order they start: MQTT events, the
    /// event log's watch, the archive closer, the poller, announcements, stats, then (as
    /// configured) commands, clock sync and the watchdog, then the add-ons' (the status server).
    /// The group stops them in reverse: the add-ons', the watchdog, clock sync, commands, stats
    /// and announcements first, then the poller (which
    /// closes the bus), then the archive closer (saving the open intervals once no packet can
    /// come), then the event log (`stopped`), and the MQTT events last (`offline`, then
    /// disconnect). Once they are ready, the event log records `started` (or
    /// `configuration_reloaded`).
    ///
    /// Getting them ready opens the archive, resumes the intervals a reload handed over (or
    /// those saved at the last stop), subscribes to Home Assistant's status and opens the bus
    /// (a bus that cannot be opened yet is retried in the background).
    func services() async throws -> [any Service] {
        let started = clock.monotonicNow()
        let store = try openArchive()
        let client: any MQTTConnection = session.client
        let cleanup = await AnnouncementService.plan(configuration: configuration, store: store, logger: logger)
        let publisher = Publisher(client: client, configuration: configuration, cleanup: cleanup)
        let announcementEvents = client.events(bufferingPolicy: AnnouncementService.buffering)
        let archiver = Archiver(interval: try ArchiveInterval(seconds: configuration.archive.intervalSeconds), overrides: configuration.archive.extractors)
        await session.outbox.attach(store: store, publisher: publisher)
        let archive = ArchiveDelivery(
            archiver: archiver, store: store, outbox: session.outbox,
            inverters: Set(configuration.inverters.map(\.name) + [configuration.plantName].compactMap { $0 }))
        let link = Link(configuration: configuration.linkConfiguration, logger: Logger(label: "aurora.link"), capture: capture)
        let counters = Locked(BridgeCounters())
        let progress = BridgeProgress(
            now: started, notifier: notifier, readyStatus: "polling \(configuration.inverters.count) inverter(s)")
        let requests = PollerRequests()
        let clockKept = ClockSyncService.kept(configuration)
        let recorder = EventRecorder(
            store: store, clock: clock, handedOver: session.takeEvents(), logger: Logger(label: "aurora.events")
        ) { [outbox = session.outbox] in
            await outbox.eventsStored()
        }
        let sink = BridgeSink(
            configuration: configuration, publisher: publisher, archive: archive, counters: counters,
            progress: { [clock] in progress.pollerProgressed(at: clock.monotonicNow()) }, events: recorder)
        let busUtilization = Locked<FieldValue?>(nil)
        let running = RunningBridge(
            configuration: configuration, clock: clock, started: started, link: link, counters: counters,
            archive: archive, outbox: session.outbox, client: session.client, store: store, busUtilization: busUtilization)
        let attachments = addOns.map { $0.attach(to: running) }
        let observers = attachments.compactMap(\.observer)
        let poller = makePoller(
            link: link, store: store, requests: configuration.commands.enabled || !clockKept.isEmpty ? requests : nil,
            sink: observers.isEmpty ? sink : ObservedSink(base: sink, observers: observers))

        let handedOver = session.takeOpenIntervals()
        if handedOver.isEmpty {
            await archive.restoreOpenIntervals(now: Int64(clock.now()))
        } else {
            await archive.resume(handedOver, now: Int64(clock.now()))
        }
        let events = client.events(bufferingPolicy: .unbounded)
        // Renewed by the client after every reconnect that lost the session.
        if let topic = publisher.discoveryStatusTopic { try client.subscribe(topic, qos: .atLeastOnce) }
        do {
            try await link.open()
        } catch {
            logger.error("cannot open the bus yet; retrying in the background", metadata: ["error": "\(error)"])
        }

        var services: [any Service] = [
            MQTTEventService(
                client: client, events: events, publisher: publisher, counters: counters,
                progress: progress, reloading: reloading, logger: logger, recorder: recorder, clock: clock),
            EventLogService(recorder: recorder, session: session, link: link, clock: clock, reloading: reloading),
            ArchiveCloserService(
                archive: archive, clock: clock, grace: ArchiveCloserService.grace(configuration: configuration),
                keepDays: configuration.archive.keepDays, session: session, reloading: reloading),
            PollingService(poller: poller, link: link),
            AnnouncementService(
                events: announcementEvents, publisher: publisher, store: store,
                current: HomeAssistantDiscovery(configuration: configuration).announcements(), logger: logger),
            StatsService(
                interval: configuration.stats.interval.seconds, clock: clock, started: started,
                publisher: publisher, link: link,
                inverters: Dictionary(configuration.inverters.map { (UInt8($0.address), $0.name) }, uniquingKeysWith: { first, _ in first }),
                archive: archive, outbox: session.outbox, counters: counters, busUtilization: busUtilization),
        ]
        let qos = configuration.publishQoS
        if configuration.commands.enabled {
            services.append(CommandService(
                client: client, routes: CommandRoutes(configuration: configuration), requests: requests,
                publisher: publisher, qos: qos, logger: logger))
        }
        if !clockKept.isEmpty {
            services.append(ClockSyncService(
                inverters: clockKept, requests: requests, clock: clock, hostClock: hostClock, output: client, qos: qos,
                logger: logger))
        }
        if let interval = notifier.watchdogInterval {
            services.append(WatchdogService(
                interval: interval, clock: clock, progress: progress,
                health: BridgeHealth(configuration: configuration), client: client,
                ping: { [notifier] in notifier.notify("WATCHDOG=1") }, logger: logger))
        }
        services += attachments.flatMap(\.services)
        if reloaded {
            await recorder.record(.configurationReloaded)
        } else {
            await recorder.record(.started, details: [("version", .text(BridgeVersion.current))])
        }
        return services
    }

    /// The poller of the configured inverters on `link`, reporting to `sink` (through a
    /// ``PlantSink`` when a plant is configured).
    private func makePoller(link: Link, store: ArchiveStore, requests: PollerRequests?, sink: any PollerSink) -> Poller {
        var pollerSink: any PollerSink = sink
        if let plant = configuration.plantName {
            pollerSink = PlantSink(base: sink, plant: Locked(PlantAggregator(name: plant, inverters: configuration.inverters.map(\.name))))
        }
        var poller = Poller(
            inverters: configuration.inverters.map { inverter in
                PolledInverter(
                    name: inverter.name,
                    client: Inverter(link: link, address: UInt8(inverter.address)),
                    pollInterval: inverter.pollInterval.seconds)
            },
            maxProbeInterval: configuration.bus.probeMax.seconds,
            clock: clock,
            sink: pollerSink,
            counterStore: store)
        poller.requests = requests
        return poller
    }

    /// Opens the archive database. While that takes longer than 10 s (the first start after an
    /// upgrade converts the archive to the current schema, see
    /// ``ArchiveStore/init(path:busyTimeout:)``: a minute or more per inverter-year on a
    /// Raspberry Pi), it asks systemd every 10 s for 30 s more, so that `TimeoutStartSec` (90 s by default) does not kill the conversion, roll it
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
        return try ArchiveStore(path: configuration.archive.database, busyTimeout: configuration.archive.busyTimeout)
    }
}

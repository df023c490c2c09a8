import ArgumentParser
import AuroraBridge
import AuroraLink
import AuroraStatus
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `aurora-bridge run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Poll the inverters and publish to MQTT until stopped.",
        discussion: """
            SIGTERM or SIGINT publish `offline`, disconnect cleanly and exit 0. SIGHUP re-reads the \
            configuration; an invalid one is reported and the running one kept.
            """
    )

    @OptionGroup var config: ConfigOption
    @OptionGroup var capture: CaptureOptions

    func run() async throws {
        var configuration = try config.load()
        let level = Locked(configuration.log.level)
        // The status page lists the last warnings and errors (with [http] enabled).
        let problems = RecentProblems()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level.value
            return MultiplexLogHandler([handler, RecentProblemsLogHandler(problems: problems)])
        }
        let logger = Logger(label: "aurora.bridge")
        let captureFile = try capture.open(port: configuration.bus.port.description, baudRate: configuration.bus.baudrate)
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        let hangups = await Hangups()
        var session = try BrokerSession(configuration: configuration)
        try session.connect()
        // SIGHUP is trapped from start to end, also between two runs of the bridge.
        try await withThrowingDiscardingTaskGroup { forwarding in
            forwarding.addTask { await hangups.forward() }
            defer { forwarding.cancelAll() }
            // A group per broker session: the session's outbox, and the bridge, restarted by every
            // reload that keeps the broker settings.
            var reloaded = false
            while true {
                let runs = BridgeRuns(
                    configuration: configuration, session: session, path: config.path, hangups: hangups, notifier: notifier,
                    capture: captureFile, addOns: [StatusAddOn(problems: problems)], level: level, logger: logger, reloaded: reloaded)
                reloaded = true
                let group = ServiceGroup(configuration: .init(
                    services: [
                        .init(service: session.service),
                        .init(service: runs, successTerminationBehavior: .gracefullyShutdownGroup),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
                do {
                    try await group.run()  // once the session's outbox handled the last acknowledgements
                } catch let error as QoS2NotSupported {
                    FileHandle.standardError.write(Data("aurora-bridge: \(error)\n".utf8))
                    throw ExitCode(78)  // EX_CONFIG: a restart cannot help
                }
                guard let next = runs.brokerChange.value else { return }
                // The broker settings changed: a new session, with the open intervals of the last run.
                let openIntervals = session.takeOpenIntervals()
                session = try BrokerSession(configuration: next)
                session.handOver(openIntervals: openIntervals)
                try session.connect()
                configuration = next
            }
        }
    }
}

/// The bridge's runs on one ``BrokerSession``: a ``BridgeService`` per configuration, stopped by
/// SIGHUP and started again with the re-read configuration while the broker settings stay the
/// same (the session, its connection and the records in flight, are kept). Returns when the
/// bridge stops, or when a reload changes the broker settings: then it closes the session and
/// leaves the new configuration in ``brokerChange``.
private struct BridgeRuns: Service {
    let configuration: BridgeConfiguration
    let session: BrokerSession
    let path: String
    /// SIGHUP: each one re-reads the configuration at `path`.
    let hangups: Hangups
    let notifier: SystemdNotifier
    let capture: (any LinkCapture)?
    /// What each run adds to the bridge (the status page).
    let addOns: [any BridgeAddOn]
    let level: Locked<Logger.Level>
    let logger: Logger
    /// Whether the first run already follows a reload (one that changed the broker settings).
    let reloaded: Bool
    /// The configuration of a reload that changed the broker settings.
    let brokerChange = Locked<BridgeConfiguration?>(nil)

    func run() async throws {
        var configuration = configuration
        var reloaded = reloaded
        while true {
            guard let next = try await runOnce(configuration, reloaded: reloaded) else { return }
            reloaded = true
            level.withLock { $0 = next.log.level }
            if next.mosquittoSettingsDiffer(from: configuration) {
                brokerChange.withLock { $0 = next }
                await session.close()
                return
            }
            configuration = next
        }
    }

    /// Runs the bridge with `configuration` until it stops; returns the configuration SIGHUP
    /// re-read, or nil when the bridge stopped for good.
    private func runOnce(_ configuration: BridgeConfiguration, reloaded: Bool) async throws -> BridgeConfiguration? {
        let reloading = Locked(false)
        let service = BridgeService(
            configuration: configuration, session: session, notifier: notifier, reloading: reloading, capture: capture,
            reloaded: reloaded, addOns: addOns, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: logger))
        let replacement = Locked<BridgeConfiguration?>(nil)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { [path, hangups, notifier, logger] in
                while await hangups.next() {
                    do {
                        let next = try BridgeConfiguration.load(path: path, environment: ProcessInfo.processInfo.environment)
                        logger.notice("configuration re-read; restarting the bridge with it")
                        replacement.withLock { $0 = next }
                        reloading.withLock { $0 = true }
                        notifier.notify("RELOADING=1")
                        await group.triggerGracefulShutdown()
                        return
                    } catch {
                        logger.error("SIGHUP: the configuration has problems; keeping the running one", metadata: ["problems": "\(error)"])
                    }
                }
            }
            try await group.run()
            tasks.cancelAll()
        }
        return replacement.value
    }
}

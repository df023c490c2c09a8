import ArgumentParser
import AuroraBridge
import AuroraStatus
import Foundation
import Logging
import Mosquitto
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
        var session = try BrokerSession(configuration: configuration)
        try session.connect()
        while true {
            let reloading = Locked(false)
            let service = BridgeService(
                configuration: configuration, notifier: notifier, reloading: reloading, session: session, capture: captureFile,
                addOns: [StatusAddOn(problems: problems)], logger: logger)
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: service)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            let replacement = Locked<BridgeConfiguration?>(nil)
            let watcher = Task {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    do {
                        let next = try BridgeConfiguration.load(path: config.path, environment: ProcessInfo.processInfo.environment)
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
            do {
                try await group.run()
            } catch let error as QoS2NotSupported {
                FileHandle.standardError.write(Data("aurora-bridge: \(error)\n".utf8))
                throw ExitCode(78)  // EX_CONFIG: a restart cannot help
            }
            watcher.cancel()
            guard let next = replacement.value else {
                await session.finished()  // the last acknowledgements mark their records delivered
                return
            }
            // Keep the session (the connection and the records in flight) across the reload
            // unless the broker settings changed.
            if next.mosquittoSettingsDiffer(from: configuration) {
                let openIntervals = session.takeOpenIntervals()
                await session.close()
                session = try BrokerSession(configuration: next)
                session.handOver(openIntervals: openIntervals)
                try session.connect()
            }
            configuration = next
            level.withLock { $0 = next.log.level }
        }
    }
}

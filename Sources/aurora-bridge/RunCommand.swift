import ArgumentParser
import AuroraBridge
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

    func run() async throws {
        var configuration = try config.load()
        let level = Locked(configuration.log.level)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level.value
            return handler
        }
        let logger = Logger(label: "aurora.bridge")
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        var client = try MosquittoClient(configuration: configuration.mosquittoConfiguration)
        // The archive's delivery window lives as long as the client, so a reload hands the
        // records in flight to the next run instead of publishing them again.
        var outbox = ArchiveOutbox(output: client)
        var outboxEvents = Task { [outbox] in await outbox.run() }
        try client.connect()
        while true {
            let reloading = Locked(false)
            let service = BridgeService(configuration: configuration, notifier: notifier, reloading: reloading, client: client, outbox: outbox, logger: logger)
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
            try await group.run()
            watcher.cancel()
            guard let next = replacement.value else {
                await outboxEvents.value  // the last acknowledgements mark their records delivered
                return
            }
            // Keep the broker connection across the reload unless its settings changed: a new
            // connection with the same client id would make the broker publish the will.
            if next.mosquittoSettingsDiffer(from: configuration) {
                await client.disconnect()
                await outboxEvents.value
                client = try MosquittoClient(configuration: next.mosquittoConfiguration)
                outbox = ArchiveOutbox(output: client)
                outboxEvents = Task { [outbox] in await outbox.run() }
                try client.connect()
            }
            configuration = next
            level.withLock { $0 = next.log.level }
        }
    }
}

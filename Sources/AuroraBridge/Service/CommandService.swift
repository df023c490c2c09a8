import Logging
import Mosquitto
import ServiceLifecycle

/// Runs the commands of `[commands]` (only added to the bridge when `enabled`): subscribes to
/// the command topics and answers each command on its result topic.
///
/// A retained command is refused (ignored and logged): it comes from the broker's store, so a
/// broker or bridge restart would replay it. Commands that touch the bus go through the
/// poller's ``PollerRequests``, so they never interleave with a poll; one for an inverter that
/// is asleep or unreachable is answered `ok: false` at once. The subscriptions are the
/// client's (renewed after every reconnect) and are dropped when the service stops.
struct CommandService: Service, CustomStringConvertible {
    let client: any MQTTConnection
    let routes: CommandRoutes
    let requests: PollerRequests
    let publisher: Publisher
    let qos: QoS
    let logger: Logger

    var description: String { "commands" }

    func run() async throws {
        let events = client.events(bufferingPolicy: .unbounded)
        let topics = routes.topics
        defer {
            for topic in topics { _ = try? client.unsubscribe(topic) }
        }
        for topic in topics { _ = try client.subscribe(topic, qos: .atLeastOnce) }
        logger.info("listening for commands", metadata: ["topics": "\(topics.joined(separator: " "))"])
        try await runUntilGracefulShutdown {
            for await event in events {
                guard case .message(let message) = event, let route = routes.routes[message.topic] else { continue }
                await handle(message, route: route)
            }
        }
    }

    private func handle(_ message: MosquittoMessage, route: CommandRoutes.Route) async {
        guard !message.retain else {
            logger.warning(
                "ignored a retained command (commands are never replayed); clear it with mosquitto_pub -r -n -t <topic>",
                metadata: ["topic": "\(message.topic)"])
            return
        }
        let result: CommandResult
        switch route.command {
        case .poller(let kind, let inverter):
            logger.info("command received", metadata: ["command": "\(kind.command)", "inverter": "\(inverter)"])
            result = await requests.submit(kind, inverter: inverter)
        case .republish:
            logger.info("command received", metadata: ["command": "republish"])
            await publisher.connected()
            result = CommandResult(
                command: "republish", inverter: nil, ok: true, message: "discovery and every retained status sent again")
        }
        logger.log(
            level: result.ok ? .info : .warning, "command answered",
            metadata: ["command": "\(result.command)", "ok": "\(result.ok)", "message": "\(result.message)"])
        result.publish(to: client, topic: route.resultTopic, qos: qos, logger: logger)
    }
}

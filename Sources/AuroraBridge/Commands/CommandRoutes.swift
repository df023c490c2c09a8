/// Which command each command topic carries, and where its result goes, from `[topics]`.
public struct CommandRoutes: Sendable, Equatable {
    /// What a command topic asks for.
    public enum Command: Sendable, Equatable {
        /// Ask the poller (for `inverter`).
        case poller(PollerRequest.Kind, inverter: String)
        /// Send discovery and every retained status again.
        case republish
    }

    /// One command topic.
    public struct Route: Sendable, Equatable {
        /// The command.
        public let command: Command
        /// Where its result is published.
        public let resultTopic: String
    }

    /// The routes by command topic.
    public let routes: [String: Route]

    /// The routes of `configuration`'s inverters and the bridge.
    public init(configuration: BridgeConfiguration) {
        let topics = configuration.topics
        var routes: [String: Route] = [:]
        for inverter in configuration.inverters {
            func render(_ template: TopicTemplate) -> String {
                template.render(prefix: topics.prefix, inverter: inverter.name, address: inverter.address, field: "")
            }
            let result = render(topics.commandResult)
            routes[render(topics.commandSetTime)] = Route(command: .poller(.setTime, inverter: inverter.name), resultTopic: result)
            routes[render(topics.commandRead)] = Route(command: .poller(.read, inverter: inverter.name), resultTopic: result)
        }
        routes[topics.bridgeCommandRepublish.render(prefix: topics.prefix)] = Route(
            command: .republish, resultTopic: topics.bridgeCommandResult.render(prefix: topics.prefix))
        self.routes = routes
    }

    /// The command topics, sorted (the filters to subscribe to).
    public var topics: [String] { routes.keys.sorted() }
}

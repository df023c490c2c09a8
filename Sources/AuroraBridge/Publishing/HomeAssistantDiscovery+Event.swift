extension HomeAssistantDiscovery {
    /// The key of the event entity of every inverter and of the bridge.
    static let eventKey = "event"

    /// The event entity (platform `event`) of an inverter or of the bridge: its events topic,
    /// whose JSON carries `event_type`, one of ``EventType/inverterTypes`` (the bridge's:
    /// ``EventType/bridgeTypes``); the other members become the event's attributes. Available
    /// while the bridge is `online`: an asleep inverter's availability change is an event too.
    func event(for inverter: BridgeConfiguration.Inverter, node: String) -> Component {
        let topics = configuration.topics
        let isBridge = inverter == bridge
        var json = JSONObject()
        json.add("name", "Event")
        json.add("unique_id", "\(node)_\(Self.eventKey)")
        json.add(
            "state_topic",
            isBridge
                ? topics.bridgeEvent.render(prefix: topics.prefix)
                : topics.event.render(prefix: topics.prefix, inverter: inverter.name, address: inverter.address))
        json.add("event_types", (isBridge ? EventType.bridgeTypes : EventType.inverterTypes).map(\.rawValue))
        json.add("availability", [Self.availability(topic: Publisher.bridgeStateTopic(configuration), template: nil)])
        return Component(key: Self.eventKey, platform: "event", config: json)
    }
}

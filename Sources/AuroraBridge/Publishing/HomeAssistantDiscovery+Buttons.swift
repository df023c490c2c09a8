extension HomeAssistantDiscovery {
    /// One command button.
    private struct Button {
        let key: String
        let name: String
        let category: String?
    }

    /// The keys of every command button, announced or not.
    static let buttonKeys = ["command_set_time", "command_read", "bridge_republish"]

    /// The inverter's command buttons (platform `button`): set the clock and poll now, and on
    /// the first inverter the bridge's republish. None with `[commands]` off (the cleanup of
    /// ``AnnouncementPlan`` then clears those announced before).
    func buttons(for inverter: BridgeConfiguration.Inverter) -> [Component] {
        guard configuration.commands.enabled else { return [] }
        let node = nodeID(inverter)
        let topics = configuration.topics
        func render(_ template: TopicTemplate) -> String {
            template.render(prefix: topics.prefix, inverter: inverter.name, address: inverter.address)
        }
        var buttons = [
            (Button(key: "command_set_time", name: "Set clock to host time", category: "config"), render(topics.commandSetTime)),
            (Button(key: "command_read", name: "Poll now", category: nil), render(topics.commandRead)),
        ]
        if inverter.name == configuration.inverters.first?.name {
            buttons.append((
                Button(key: "bridge_republish", name: "Republish to MQTT", category: "diagnostic"),
                topics.bridgeCommandRepublish.render(prefix: topics.prefix)))
        }
        return buttons.map { button, commandTopic in
            var json = JSONObject()
            json.add("name", button.name)
            json.add("unique_id", "\(node)_\(button.key)")
            json.add("command_topic", commandTopic)
            json.add("payload_press", "")
            json.add("retain", false)
            if let category = button.category { json.add("entity_category", category) }
            var availability = [Self.availability(topic: Publisher.bridgeStateTopic(configuration), template: nil)]
            if button.key != "bridge_republish" {
                availability.append(Self.availability(
                    topic: render(topics.availability),
                    template: "{{ 'online' if value == 'online' else 'offline' }}"))
            }
            json.add("availability", availability)
            json.add("availability_mode", "all")
            return Component(key: button.key, platform: "button", config: json)
        }
    }
}

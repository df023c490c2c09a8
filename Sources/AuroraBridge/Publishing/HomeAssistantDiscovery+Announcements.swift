/// The retained topics a configuration announces, for clearing those it no longer announces.
extension HomeAssistantDiscovery {
    /// Every retained topic this configuration announces: each inverter's discovery configs
    /// (none when discovery is off) and its status and data topics (availability, loop and loop
    /// fields, archive and archive fields, state, info).
    public func announcements() -> [Announcement] {
        devices.flatMap { inverter in
            discoveryAnnouncements(inverter) + statusAnnouncements(inverter)
        } + discoveryAnnouncements(bridge)
    }

    /// The sensor keys each node's current discovery configs announce.
    public func announcedKeys() -> [String: Set<String>] {
        Dictionary(
            discoveredDevices.map { inverter in
                let node = nodeID(inverter)
                return (node, Set(components(inverter, node: node).map(\.key)))
            },
            uniquingKeysWith: { first, second in first.union(second) })
    }

    /// What a bridge without a record of its announcements (before version 0.3, which always
    /// used per-entity discovery) may have left: a per-entity config for every sensor of every
    /// current node. Used once, after such an upgrade.
    public func assumedEarlierAnnouncements() -> [Announcement] {
        guard configuration.homeAssistant.discovery != .off else { return [] }
        return configuration.inverters.flatMap { inverter in
            let node = nodeID(inverter)
            return Self.inverterSensorKeys.map { Announcement(topic: entityTopic(node: node, key: $0), kind: .entity, owner: node) }
        }
    }

    /// Every config topic of every inverter in both modes and every status topic: what
    /// `aurora-bridge discovery remove` clears besides the recorded announcements.
    public func everyPossibleAnnouncement() -> [Announcement] {
        discoveredDevices.flatMap { inverter in
            let node = nodeID(inverter)
            return [Announcement(topic: deviceTopic(node: node), kind: .device, owner: node)]
                + Self.allKeys.map {
                    Announcement(topic: entityTopic(node: node, key: $0.key, platform: $0.platform), kind: .entity, owner: node)
                }
                + (inverter == bridge ? [] : statusAnnouncements(inverter))
        }
    }

    private func discoveryAnnouncements(_ inverter: BridgeConfiguration.Inverter) -> [Announcement] {
        let node = nodeID(inverter)
        switch configuration.homeAssistant.discovery {
        case .off:
            return []
        case .device:
            return [Announcement(topic: deviceTopic(node: node), kind: .device, owner: node)]
        case .entity:
            return components(inverter, node: node).map {
                Announcement(topic: entityTopic(node: node, key: $0.key, platform: $0.platform), kind: .entity, owner: node)
            }
        }
    }

    private func statusAnnouncements(_ inverter: BridgeConfiguration.Inverter) -> [Announcement] {
        let topics = configuration.topics
        func render(_ template: TopicTemplate, field: String = "") -> Announcement {
            let topic = template.render(prefix: topics.prefix, inverter: inverter.name, address: inverter.address, field: field)
            return Announcement(topic: topic, kind: .status, owner: inverter.name)
        }
        let fields = BridgeConfiguration.Fields.known.compactMap { configuration.fields.publishedName(of: $0) }
        return [render(topics.availability), render(topics.loop), render(topics.archive), render(topics.state), render(topics.info)]
            + fields.map { render(topics.loopField, field: $0) } + fields.map { render(topics.archiveField, field: $0) }
    }
}

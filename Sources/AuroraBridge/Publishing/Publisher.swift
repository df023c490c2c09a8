import AuroraLink
import AuroraProtocol
import Logging
import Mosquitto

/// Turns what the bridge learns into MQTT messages, following the topic contract and the
/// templates, retain flags, QoS and field renames of `bridge.conf`.
///
/// Live data (loop packets, stats) is only sent while connected: stale readings are worth
/// nothing after an outage, and libmosquitto would otherwise queue them all in memory.
/// Retained status messages (availability, state, info) are remembered and sent again on every
/// connect, so a broker that lost its retained store is repaired. Home Assistant discovery
/// configs (when on) are sent on every connect, when Home Assistant announces itself, and for an
/// inverter again when its identity first becomes known or changes; on the first connect they go
/// with the cleanup of what is no longer announced (``AnnouncementPlan``). Archive records are sent at
/// QoS ≥ 1 even while disconnected (libmosquitto queues them) and the caller tracks their
/// acknowledgements.
public actor Publisher {
    private let client: any MQTTOutput
    private let configuration: BridgeConfiguration
    private let qos: QoS
    private let addresses: [String: Int]
    private let logger: Logger
    /// The last retained status message of each topic, sent again on every connect.
    private var retainedStatus: [String: (payload: String, retain: Bool)] = [:]
    private var statusOrder: [String] = []
    /// Home Assistant discovery, or nil when `[homeassistant] discovery` is off.
    private let discovery: HomeAssistantDiscovery?
    /// The identities known so far, by inverter name, for the discovery configs.
    private var identities: [String: InverterIdentity] = [:]
    /// The migration and cleanup still to send, on the first connect.
    private var cleanup: AnnouncementPlan?
    /// The cleared topics by the id of their empty message, until acknowledged; nil before the
    /// cleanup went out.
    private var clearing: [MessageID: String]?
    /// The cleared topics whose empty message the broker acknowledged.
    private var cleared: [String] = []

    /// A publisher sending through `client` as `configuration` says; `cleanup` (see
    /// ``AnnouncementPlan``) goes out with the discovery configs on the first connect.
    public init(
        client: any MQTTOutput, configuration: BridgeConfiguration, cleanup: AnnouncementPlan? = nil,
        logger: Logger = Logger(label: "aurora.publisher")
    ) {
        self.client = client
        self.cleanup = cleanup
        self.configuration = configuration
        self.qos = configuration.publishQoS
        self.addresses = Dictionary(configuration.inverters.map { ($0.name, $0.address) }, uniquingKeysWith: { first, _ in first })
        self.discovery = configuration.homeAssistant.discovery == .off ? nil : HomeAssistantDiscovery(configuration: configuration)
        self.logger = logger
    }

    // MARK: - Topics

    private nonisolated var topics: BridgeConfiguration.Topics { configuration.topics }

    private nonisolated func topic(_ template: TopicTemplate, inverter: String = "", field: String = "") -> String {
        template.render(prefix: topics.prefix, inverter: inverter, address: addresses[inverter] ?? 0, field: field)
    }

    /// The bridge state topic, also the will's topic.
    public nonisolated static func bridgeStateTopic(_ configuration: BridgeConfiguration) -> String {
        configuration.topics.bridgeState.render(prefix: configuration.topics.prefix)
    }

    // MARK: - Bridge state

    /// Announces `online` (retained), the Home Assistant discovery configs, and sends the
    /// remembered status messages again. Called on every connect. The first time, the cleanup
    /// goes with the configs: the migration marks before them, the empty messages after.
    public func connected() {
        send(Self.bridgeStateTopic(configuration), "online", qos: .atLeastOnce, retain: true)
        let plan = cleanup
        cleanup = nil
        for topic in plan?.migrations ?? [] {
            send(topic, AnnouncementPlan.migratePayload, qos: .atLeastOnce, retain: true)
        }
        if let discovery { sendDiscovery(discovery.messages(identities: identities)) }
        if let plan {
            var sent: [MessageID: String] = [:]
            for topic in plan.clears {
                if let id = try? client.send(topic: topic, text: "", qos: .atLeastOnce, retain: true) { sent[id] = topic }
            }
            clearing = sent
        }
        for topic in statusOrder {
            if let message = retainedStatus[topic] { send(topic, message.payload, qos: qos, retain: message.retain) }
        }
    }

    /// Announces `offline` (retained) before a clean exit; returns its message id so the caller
    /// can wait for the acknowledgement.
    public func goingOffline() -> MessageID? {
        try? client.send(topic: Self.bridgeStateTopic(configuration), text: "offline", qos: .atLeastOnce, retain: true)
    }

    // MARK: - Live data

    /// Publishes one loop packet: a topic per field and the JSON topic. Skipped while
    /// disconnected.
    public func publish(_ packet: LoopPacket) {
        guard client.isConnected else { return }
        let retain = configuration.retain.loop
        var json = JSONObject()
        json.add("dateTime", packet.dateTime)
        for field in packet.fields {
            guard let name = configuration.fields.publishedName(of: field.name) else { continue }
            let text = field.value.description
            send(topic(topics.loopField, inverter: packet.inverter, field: name), text, qos: qos, retain: retain)
            json.add(name, field.value)
        }
        send(topic(topics.loop, inverter: packet.inverter), json.description, qos: qos, retain: retain)
    }

    /// Publishes the bridge's statistics (never retained). Skipped while disconnected.
    public func publish(stats: JSONObject) {
        guard client.isConnected else { return }
        send(topic(topics.bridgeStats), stats.description, qos: .atMostOnce, retain: false)
    }

    // MARK: - Status (retained, remembered)

    /// Publishes an inverter's availability.
    public func publish(_ availability: Availability, for inverter: String) {
        publishStatus(topic(topics.availability, inverter: inverter), availability.rawValue, retain: configuration.retain.availability)
    }

    /// Publishes an inverter's decoded states as JSON.
    public func publish(_ status: InverterStatus, for inverter: String) {
        publishStatus(topic(topics.state, inverter: inverter), StatusJSON.state(status).description, retain: configuration.retain.state)
    }

    /// Publishes an inverter's identity as JSON and, when it is new, the inverter's discovery
    /// configs with the better device information.
    public func publish(_ identity: InverterIdentity, for inverter: String) {
        let settings = configuration.inverters.first { $0.name == inverter }
        let json = StatusJSON.info(identity, address: addresses[inverter] ?? 0, configuredModel: settings?.model)
        publishStatus(topic(topics.info, inverter: inverter), json.description, retain: configuration.retain.info)
        guard let discovery, let settings, identities[inverter] != identity else { return }
        identities[inverter] = identity
        sendDiscovery(discovery.messages(for: settings, identity: identity))
    }

    // MARK: - Home Assistant discovery

    /// Where Home Assistant announces itself, for the caller to subscribe to; nil when
    /// discovery is off.
    public nonisolated var discoveryStatusTopic: String? { discovery?.statusTopic }

    /// Handles a message of a subscription: Home Assistant's `online` on the discovery status
    /// topic sends every discovery config again (a retained `online` is an old announcement:
    /// the configs went out on connect).
    public func received(_ message: MosquittoMessage) {
        guard let discovery, message.topic == discovery.statusTopic, message.text == "online", !message.retain else { return }
        logger.info("Home Assistant is online; announcing the sensors again")
        sendDiscovery(discovery.messages(identities: identities))
    }

    /// Notes the broker's acknowledgement of message `id` (nil: none, just asking) and returns
    /// the topics the cleanup cleared once every empty message was acknowledged; nil while some
    /// are not, or before the cleanup went out.
    public func cleanupAcknowledged(_ id: MessageID?) -> [String]? {
        guard var pending = clearing else { return nil }
        if let id, let topic = pending.removeValue(forKey: id) { cleared.append(topic) }
        clearing = pending
        return pending.isEmpty ? cleared.sorted() : nil
    }

    /// Sends discovery messages, retained. Skipped while disconnected: they all go out on connect.
    private func sendDiscovery(_ messages: [HomeAssistantDiscovery.Message]) {
        guard client.isConnected else { return }
        for message in messages {
            send(message.topic, message.payload, qos: qos, retain: true)
        }
    }

    private func publishStatus(_ topic: String, _ payload: String, retain: Bool) {
        if retainedStatus[topic] == nil { statusOrder.append(topic) }
        retainedStatus[topic] = (payload, retain)
        guard client.isConnected else { return }
        send(topic, payload, qos: qos, retain: retain)
    }

    // MARK: - Archive

    /// The messages of an archive record: each field's primary value, then the JSON summary
    /// (last, so the summary topic changes only once the record is complete).
    public nonisolated func archiveMessages(_ record: ArchiveRecord) -> [(topic: String, payload: String)] {
        let rename: (String) -> String = { self.configuration.fields.publishedName(of: $0) ?? $0 }
        var messages = record.fieldPayloads(rename: rename).map { field, text in
            (topic(topics.archiveField, inverter: record.inverter, field: field), text)
        }
        messages.append((topic(topics.archive, inverter: record.inverter), record.payload(rename: rename)))
        return messages
    }

    /// The message of a stored event: its payload on the inverter's event topic, or the bridge's.
    public nonisolated func eventMessage(_ event: StoredEvent) -> (topic: String, payload: String) {
        let template = event.source == BridgeEvent.bridgeSource ? topics.bridgeEvent : topics.event
        return (topic(template, inverter: event.source), event.payload)
    }

    /// The QoS and retain flag of archive messages: the configured QoS but at least 1, so
    /// every message is acknowledged.
    public nonisolated var archiveDelivery: (qos: QoS, retain: Bool) {
        (qos == .atMostOnce ? .atLeastOnce : qos, configuration.retain.archive)
    }

    private func send(_ topic: String, _ payload: String, qos: QoS, retain: Bool) {
        do {
            try client.send(topic: topic, text: payload, qos: qos, retain: retain)
        } catch {
            logger.debug("message not sent", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}

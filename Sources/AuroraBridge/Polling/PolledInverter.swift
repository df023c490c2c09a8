/// One inverter as the poller sees it: its name, its client and how often to poll it.
public struct PolledInverter: Sendable {
    /// The configured name, used in topics.
    public var name: String
    /// The client that talks to it.
    public var client: any InverterClient
    /// Seconds between polls while it answers.
    public var pollInterval: Double

    /// An inverter to poll every `pollInterval` seconds.
    public init(name: String, client: any InverterClient, pollInterval: Double) {
        self.name = name
        self.client = client
        self.pollInterval = pollInterval
    }
}

/// Everything a ``MosquittoClient`` needs to reach and log in to a broker.
///
/// ```swift
/// var configuration = MosquittoConfiguration(host: "broker.lan", clientID: "aurora-bridge")
/// configuration.will = LastWill(topic: "aurora/bridge/state", text: "offline")
/// configuration.credentials = Credentials(username: "aurora", password: secret)
/// ```
public struct MosquittoConfiguration: Sendable {
    /// Host name or IP address of the broker.
    public var host: String
    /// TCP port of the broker (1883 plain, 8883 TLS by convention).
    public var port: Int
    /// Local address to bind the socket to, or `nil` for any.
    public var bindAddress: String?
    /// The client id; `nil` lets libmosquitto generate one (which requires a clean session).
    public var clientID: String?
    /// Whether the broker discards the session (subscriptions, queued messages) on disconnect.
    public var cleanSession: Bool
    /// Longest silence before a PINGREQ; the broker drops the client after 1.5× this.
    /// Whole seconds, at least 5 (libmosquitto's minimum).
    public var keepAlive: Duration
    /// User name and password, if the broker requires them.
    public var credentials: Credentials?
    /// MQTT 3.1.1 by default.
    public var protocolVersion: ProtocolVersion
    /// TLS settings; `nil` for a plain TCP connection.
    public var tls: TLSConfiguration?
    /// The message the broker publishes if the connection dies uncleanly.
    public var will: LastWill?
    /// Waits between reconnection attempts.
    public var reconnect: ReconnectPolicy
    /// How many QoS 1 and 2 messages may be in flight at once; `nil` keeps libmosquitto's
    /// default (20). `0` means no limit. Further messages wait in libmosquitto's queue.
    public var maxInflightMessages: Int?
    /// Receives libmosquitto's own log lines (on libmosquitto's thread; must return quickly and
    /// must not call the client). `nil` discards them.
    public var logHandler: (@Sendable (MosquittoLogLevel, String) -> Void)?

    /// Creates a configuration with libmosquitto's defaults for everything not given.
    public init(
        host: String = "localhost",
        port: Int = 1883,
        clientID: String? = nil,
        cleanSession: Bool = true,
        keepAlive: Duration = .seconds(60),
        credentials: Credentials? = nil,
        protocolVersion: ProtocolVersion = .v3_1_1,
        tls: TLSConfiguration? = nil,
        will: LastWill? = nil,
        reconnect: ReconnectPolicy = ReconnectPolicy(),
        maxInflightMessages: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepAlive = keepAlive
        self.credentials = credentials
        self.protocolVersion = protocolVersion
        self.tls = tls
        self.will = will
        self.reconnect = reconnect
        self.maxInflightMessages = maxInflightMessages
    }

    var keepAliveSeconds: Int32 { Int32(clamping: max(keepAlive.components.seconds, 5)) }
}

extension BridgeConfiguration {
    /// `[mqtt]`: the broker and how to connect to it.
    public struct MQTT: Sendable, Equatable {
        /// `host`: the broker's host name or address.
        public var host = "localhost"
        /// `port`: the broker's TCP port (``defaultPort(tls:)`` unless set).
        public var port = defaultPort(tls: false)
        /// `client_id`: the MQTT client identifier.
        public var clientID = "aurora-bridge"
        /// `username`: for the broker's authentication.
        public var username: String?
        /// `password_file`: the file the password was read from, if one was named.
        public var passwordFile: String?
        /// The password: from the environment variable ``BridgeConfiguration/passwordVariable``
        /// when set (it wins), else the content of ``passwordFile`` without its trailing line break.
        public var password: Secret?
        /// `keepalive`: the MQTT keep-alive.
        public var keepalive = Duration.seconds(60)
        /// `qos`: the quality of service of every publication.
        public var qos = 1
        /// `protocol`: the MQTT protocol version.
        public var protocolVersion = ProtocolVersion.v3_1_1
        /// `reconnect_min`: the first wait before reconnecting.
        public var reconnectMin = Duration.seconds(1)
        /// `reconnect_max`: the longest wait between reconnects (the wait doubles up to it).
        public var reconnectMax = Duration.seconds(60)
        /// `max_disconnected`: after this long disconnected with reconnects failing, the watchdog
        /// restarts the bridge.
        public var maxDisconnected = Duration.seconds(600)
        /// `[mqtt.tls]`: TLS settings, or `nil` for a plain connection.
        public var tls: TLS?

        /// The default port: 8883 with TLS, 1883 without.
        public static func defaultPort(tls: Bool) -> Int { tls ? 8883 : 1883 }
    }
}

extension BridgeConfiguration.MQTT: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init("host", \.host, .string(what: "a host name or address"), "The broker's host name or address."),
        // The default follows [mqtt.tls], read first.
        .init("port", \.port, .integer(1...65535), "The broker's TCP port.", default: "1883, or 8883 with TLS"),
        .init("client_id", \.clientID, .string(what: "a client identifier"), "The MQTT client identifier."),
        .init("username", \.username, .string(what: "a user name"), "The user name, for brokers that require a login."),
        .init(
            "password_file", \.passwordFile, .string(what: "the path of a file"),
            "A file holding the password (the environment variable \(BridgeConfiguration.passwordVariable) wins).",
            secret: true, content: \.password),
        .init("keepalive", \.keepalive, .duration(5...65535, wholeSeconds: true), "The MQTT keep-alive."),
        .init("qos", \.qos, .integer(0...2), "The quality of service of every publication."),
        .init(
            "protocol", \.protocolVersion, .choice(ProtocolVersion.allCases.map(\.rawValue)), "The MQTT protocol version."),
        .init("reconnect_min", \.reconnectMin, .duration(1...3600, wholeSeconds: true), "The first wait before reconnecting."),
        .init(
            "reconnect_max", \.reconnectMax, .duration(1...3600, wholeSeconds: true),
            "The longest wait between reconnects (the wait doubles up to it); at least reconnect_min."
        ) { maximum, mqtt in
            maximum >= mqtt.reconnectMin ? nil
                : "must be at least reconnect_min (\(TOMLText.seconds(mqtt.reconnectMin))), got \(TOMLText.seconds(maximum))"
        },
        .init(
            "max_disconnected", \.maxDisconnected, .duration(1...ConfigKey.maximumSeconds, wholeSeconds: true),
            "After this long disconnected with reconnects failing, the watchdog restarts the bridge."),
    ]

    /// Reads `[mqtt]` (and `[mqtt.tls]`), taking the password from `environment` or its file.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, environment: [String: String]) -> Self {
        let variable = BridgeConfiguration.passwordVariable
        reader.checkKeys(
            table,
            special: [
                "password": "passwords are not read from bridge.conf; put the password in a file that "
                    + "only the service can read and name it with password_file, or set the environment "
                    + "variable \(variable)"
            ])
        let credentials = SystemdCredentials(environment: environment)
        var mqtt = defaults
        mqtt.tls = TLS.read(table.subtable("tls"), &reader, credentials: credentials)
        mqtt.port = defaultPort(tls: mqtt.tls != nil)
        reader.read(table, into: &mqtt)
        // Without reconnect_max, the longest wait is at least the first.
        mqtt.reconnectMax = max(mqtt.reconnectMax, mqtt.reconnectMin)

        let credential = credentials.path(SystemdCredentials.mqttPassword)
        if let value = environment[variable], !value.isEmpty {
            mqtt.password = Secret(value, source: "environment variable \(variable)")
        } else if let path = credential ?? mqtt.passwordFile {
            mqtt.password = reader.password(in: table, key: "password_file", path: path, credential: credential != nil)
        }
        if let password = mqtt.password, mqtt.username == nil {
            reader.report(
                table, mqtt.passwordFile == nil ? nil : "password_file",
                "a password is given (\(password.source)) but no username; set username")
        }
        return mqtt
    }
}

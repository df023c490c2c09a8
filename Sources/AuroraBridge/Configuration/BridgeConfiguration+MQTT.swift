extension BridgeConfiguration {
    /// `[mqtt]`: the broker and how to connect to it.
    public struct MQTT: Sendable, Equatable {
        /// `host`: the broker's host name or address. Default `"localhost"`.
        public var host: String
        /// `port`: the broker's TCP port. Default 1883, or 8883 when TLS is on.
        public var port: Int
        /// `client_id`: the MQTT client identifier. Default `"aurora-bridge"`.
        public var clientID: String
        /// `username`: for the broker's authentication. Default none.
        public var username: String?
        /// `password_file`: the file the password was read from, if one was named. Default none.
        public var passwordFile: String?
        /// The password: from the environment variable ``BridgeConfiguration/passwordVariable``
        /// when set (it wins), else the content of ``passwordFile`` without its trailing line break.
        public var password: Secret?
        /// `keepalive`: the MQTT keep-alive, whole seconds from 5 to 65535. Default 60 s.
        public var keepalive: Duration
        /// `qos`: the quality of service of every publication, 0, 1 or 2. Default 1.
        public var qos: Int
        /// `protocol`: the MQTT protocol version. Default `"3.1.1"`.
        public var protocolVersion: ProtocolVersion
        /// `reconnect_min`: the first wait before reconnecting, whole seconds from 1 to 3600. Default 1 s.
        public var reconnectMin: Duration
        /// `reconnect_max`: the longest wait between reconnects (the wait doubles up to it),
        /// whole seconds from `reconnect_min` to 3600. Default 60 s (or `reconnect_min` if larger).
        public var reconnectMax: Duration
        /// `[mqtt.tls]`: TLS settings, or `nil` for a plain connection. Default `nil`.
        public var tls: TLS?

        /// The default port: 8883 with TLS, 1883 without.
        public static func defaultPort(tls: Bool) -> Int { tls ? 8883 : 1883 }

        /// A broker configuration; every parameter defaults to the documented default, and a
        /// `nil` port to ``defaultPort(tls:)``.
        public init(
            host: String = "localhost", port: Int? = nil, clientID: String = "aurora-bridge",
            username: String? = nil, passwordFile: String? = nil, password: Secret? = nil,
            keepalive: Duration = .seconds(60), qos: Int = 1, protocolVersion: ProtocolVersion = .v3_1_1,
            reconnectMin: Duration = .seconds(1), reconnectMax: Duration = .seconds(60), tls: TLS? = nil
        ) {
            self.host = host
            self.port = port ?? Self.defaultPort(tls: tls != nil)
            self.clientID = clientID
            self.username = username
            self.passwordFile = passwordFile
            self.password = password
            self.keepalive = keepalive
            self.qos = qos
            self.protocolVersion = protocolVersion
            self.reconnectMin = reconnectMin
            self.reconnectMax = reconnectMax
            self.tls = tls
        }
    }
}

extension BridgeConfiguration.MQTT {
    static let keys = [
        "host", "port", "client_id", "username", "password_file", "keepalive", "qos", "protocol",
        "reconnect_min", "reconnect_max",
    ]

    /// Reads `[mqtt]` (and `[mqtt.tls]`), taking the password from `environment` or its file.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, environment: [String: String]) -> Self {
        let variable = BridgeConfiguration.passwordVariable
        reader.checkKeys(
            table, keys: keys, tables: ["tls"],
            special: [
                "password": "passwords are not read from bridge.conf; put the password in a file that "
                    + "only the service can read and name it with password_file, or set the environment "
                    + "variable \(variable)"
            ])
        let defaults = Self()
        let tls = TLS.read(table.subtable("tls"), &reader)
        var mqtt = Self(tls: tls)
        mqtt.host = reader.nonEmptyString(table, "host", what: "a host name or address") ?? defaults.host
        mqtt.port = reader.integer(table, "port", in: 1...65535) ?? mqtt.port
        mqtt.clientID = reader.nonEmptyString(table, "client_id", what: "a client identifier") ?? defaults.clientID
        mqtt.username = reader.nonEmptyString(table, "username", what: "a user name")
        mqtt.passwordFile = reader.nonEmptyString(table, "password_file", what: "the path of a file")
        mqtt.keepalive = reader.seconds(table, "keepalive", allowed: "from 5 to 65535", wholeSeconds: true) {
            (5...65535).contains($0)
        } ?? defaults.keepalive
        mqtt.qos = reader.integer(table, "qos", in: 0...2) ?? defaults.qos
        mqtt.protocolVersion = reader.choice(table, "protocol", from: ProtocolVersion.allCases.map(\.rawValue))
            .flatMap(ProtocolVersion.init(rawValue:)) ?? defaults.protocolVersion
        mqtt.reconnectMin = reader.seconds(table, "reconnect_min", allowed: "from 1 to 3600", wholeSeconds: true) {
            (1...3600).contains($0)
        } ?? defaults.reconnectMin
        if let maximum = reader.seconds(table, "reconnect_max", allowed: "from 1 to 3600", wholeSeconds: true, where: {
            (1...3600).contains($0)
        }) {
            if maximum < mqtt.reconnectMin {
                reader.report(
                    table, "reconnect_max",
                    "must be at least reconnect_min (\(TOMLText.seconds(mqtt.reconnectMin))), "
                        + "got \(TOMLText.seconds(maximum))")
            } else {
                mqtt.reconnectMax = maximum
            }
        } else {
            mqtt.reconnectMax = max(defaults.reconnectMax, mqtt.reconnectMin)
        }

        if let value = environment[variable], !value.isEmpty {
            mqtt.password = Secret(value, source: "environment variable \(variable)")
        } else if let path = mqtt.passwordFile {
            do throws(TextFile.ReadError) {
                let password = try TextFile.readSecret(path)
                if password.isEmpty {
                    reader.report(table, "password_file", "\(TOMLText.quoted(path)) is empty; it must hold the password")
                } else {
                    mqtt.password = Secret(password, source: "file \(path)")
                }
            } catch {
                reader.report(table, "password_file", "cannot read \(TOMLText.quoted(path)): \(error.reason)")
            }
        }
        if let password = mqtt.password, mqtt.username == nil {
            reader.report(
                table, mqtt.passwordFile == nil ? nil : "password_file",
                "a password is given (\(password.source)) but no username; set username")
        }
        return mqtt
    }
}

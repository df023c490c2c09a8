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
        /// `max_disconnected`: after this long disconnected with reconnects failing, the watchdog
        /// restarts the bridge; whole seconds from 1 to 604800 (a week). Default 600 s.
        public var maxDisconnected: Duration
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
            reconnectMin: Duration = .seconds(1), reconnectMax: Duration = .seconds(60), maxDisconnected: Duration = .seconds(600),
            tls: TLS? = nil
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
            self.maxDisconnected = maxDisconnected
            self.tls = tls
        }
    }
}

extension BridgeConfiguration.MQTT {
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
        let defaults = Self()
        let tls = TLS.read(table.subtable("tls"), &reader, credentials: SystemdCredentials(environment: environment))
        var mqtt = Self(tls: tls)
        mqtt.host = reader.string(table, "host") ?? defaults.host
        mqtt.port = reader.integer(table, "port") ?? mqtt.port
        mqtt.clientID = reader.string(table, "client_id") ?? defaults.clientID
        mqtt.username = reader.string(table, "username")
        mqtt.passwordFile = reader.string(table, "password_file")
        mqtt.keepalive = reader.duration(table, "keepalive") ?? defaults.keepalive
        mqtt.qos = reader.integer(table, "qos") ?? defaults.qos
        mqtt.protocolVersion = reader.choice(table, "protocol").flatMap(ProtocolVersion.init(rawValue:))
            ?? defaults.protocolVersion
        mqtt.reconnectMin = reader.duration(table, "reconnect_min") ?? defaults.reconnectMin
        mqtt.maxDisconnected = reader.duration(table, "max_disconnected") ?? defaults.maxDisconnected
        if let maximum = reader.duration(table, "reconnect_max") {
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

        let credential = SystemdCredentials(environment: environment).path(SystemdCredentials.mqttPassword)
        if let value = environment[variable], !value.isEmpty {
            mqtt.password = Secret(value, source: "environment variable \(variable)")
        } else if let path = credential ?? mqtt.passwordFile {
            do throws(TextFile.ReadError) {
                let password = try reader.secretFiles.content(of: path)
                if password.isEmpty {
                    reader.report(table, "password_file", "\(TOMLText.quoted(path)) is empty; it must hold the password")
                } else {
                    mqtt.password = Secret(password, source: credential == nil ? "file \(path)" : "systemd credential \(path)")
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

import Mosquitto

extension BridgeConfiguration {
    /// The libmosquitto client settings: broker, credentials, TLS, keep-alive, reconnect
    /// back-off, and the retained `offline` will on the bridge state topic.
    public var mosquittoConfiguration: MosquittoConfiguration {
        var configuration = MosquittoConfiguration(
            host: mqtt.host,
            port: mqtt.port,
            clientID: mqtt.clientID,
            keepAlive: mqtt.keepalive,
            credentials: mqtt.username.map { Credentials(username: $0, password: mqtt.password?.revealed) },
            protocolVersion: mqtt.protocolVersion == .v5 ? .v5 : .v3_1_1,
            will: LastWill(topic: Publisher.bridgeStateTopic(self), text: "offline", qos: .atLeastOnce, retain: true),
            reconnect: ReconnectPolicy(minimumDelay: mqtt.reconnectMin, maximumDelay: mqtt.reconnectMax, exponentialBackoff: true)
        )
        if let tls = mqtt.tls {
            if let identity = tls.pskIdentity, let key = tls.psk {
                configuration.tls = .preSharedKey(.init(identity: identity, hexKey: key.revealed))
            } else {
                let trust: TLSConfiguration.Trust = tls.caFile.map { .caFile($0) } ?? .caDirectory(tls.caPath ?? "/etc/ssl/certs")
                let client = tls.certFile.flatMap { cert in tls.keyFile.map { TLSConfiguration.ClientCertificate(certificateFile: cert, keyFile: $0) } }
                configuration.tls = .certificates(trust: trust, client: client, insecure: tls.insecure)
            }
        }
        return configuration
    }

    /// The quality of service of every publication, from `[mqtt] qos` (validated to 0, 1 or 2).
    public var publishQoS: QoS { QoS(rawValue: mqtt.qos) ?? .atLeastOnce }

    /// Whether the MQTT connection of `other` differs from this one's (broker, credentials, TLS,
    /// or the will's topic), so a reload must reconnect.
    public func mosquittoSettingsDiffer(from other: BridgeConfiguration) -> Bool {
        mqtt != other.mqtt || Publisher.bridgeStateTopic(self) != Publisher.bridgeStateTopic(other)
    }
}

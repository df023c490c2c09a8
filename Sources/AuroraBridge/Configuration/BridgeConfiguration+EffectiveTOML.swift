extension BridgeConfiguration {
    /// The effective configuration as TOML, for `aurora-bridge check-config`: every key with the
    /// value in force (defaults included). Keys that are not set appear as comments, and secrets
    /// only as a comment saying `<redacted>` and where they come from. Parsing it again (with
    /// the same environment and secret files) gives an equal configuration.
    public var effectiveTOML: String {
        var lines = ["# aurora-bridge: effective configuration (defaults filled in, secrets redacted)"]
        func section(_ title: String) { lines += ["", title] }
        func set(_ key: String, _ value: String) { lines.append("\(key) = \(value)") }
        func setOptional(_ key: String, _ value: String?) {
            if let value { set(key, TOMLText.quoted(value)) } else { lines.append("# \(key): not set") }
        }
        func secret(_ key: String, _ value: Secret?) {
            if let value { lines.append("# \(key) = \(TOMLText.quoted(value.description))  (from \(value.source))") }
        }

        section("[mqtt]")
        set("host", TOMLText.quoted(mqtt.host))
        set("port", String(mqtt.port))
        set("client_id", TOMLText.quoted(mqtt.clientID))
        setOptional("username", mqtt.username)
        setOptional("password_file", mqtt.passwordFile)
        secret("password", mqtt.password)
        set("keepalive", TOMLText.seconds(mqtt.keepalive))
        set("qos", String(mqtt.qos))
        set("protocol", TOMLText.quoted(mqtt.protocolVersion.rawValue))
        set("reconnect_min", TOMLText.seconds(mqtt.reconnectMin))
        set("reconnect_max", TOMLText.seconds(mqtt.reconnectMax))
        set("max_disconnected", TOMLText.seconds(mqtt.maxDisconnected))

        section("[mqtt.tls]")
        if let tls = mqtt.tls {
            set("enabled", "true")
            setOptional("ca_file", tls.caFile)
            setOptional("ca_path", tls.caPath)
            setOptional("cert_file", tls.certFile)
            setOptional("key_file", tls.keyFile)
            set("insecure", String(tls.insecure))
            setOptional("psk_identity", tls.pskIdentity)
            setOptional("psk_file", tls.pskFile)
            secret("psk", tls.psk)
        } else {
            set("enabled", "false")
        }

        section("[topics]")
        set("prefix", TOMLText.quoted(topics.prefix))
        for slot in Topics.slots {
            set(slot.key, TOMLText.quoted(topics[keyPath: slot.path].source))
        }

        section("[homeassistant]")
        set("discovery", TOMLText.quoted(homeAssistant.discovery.rawValue))
        set("discovery_prefix", TOMLText.quoted(homeAssistant.discoveryPrefix))
        set("expire_after", TOMLText.seconds(homeAssistant.expireAfter))
        setOptional("node_id", homeAssistant.nodeID)
        set("all_entities", String(homeAssistant.allEntities))

        section("[retain]")
        for slot in Retain.slots {
            set(slot.key, String(retain[keyPath: slot.path]))
        }

        section("[stats]")
        set("interval", TOMLText.seconds(stats.interval))

        section("[plant]")
        set("enabled", String(plant.enabled))
        set("name", TOMLText.quoted(plant.name))

        section("[bus]")
        set("port", TOMLText.quoted(bus.port.description))
        set("baudrate", String(bus.baudrate))
        set("read_timeout", TOMLText.seconds(bus.readTimeout))
        set("command_delay", TOMLText.seconds(bus.commandDelay))
        set("max_tries", String(bus.maxTries))
        set("probe_max", TOMLText.seconds(bus.probeMax))

        for inverter in inverters {
            section("[[inverter]]")
            set("name", TOMLText.quoted(inverter.name))
            set("address", String(inverter.address))
            setOptional("model", inverter.model)
            set("poll_interval", TOMLText.seconds(inverter.pollInterval))
            set("clock_sync", TOMLText.quoted(inverter.clockSync.mode.rawValue))
            set("clock_tolerance", TOMLText.seconds(.seconds(inverter.clockSync.tolerance)))
        }

        section("[fields]")
        set("exclude", TOMLText.array(Fields.known.filter(fields.exclude.contains)))
        let renames = Fields.known.compactMap { field in
            fields.rename[field].map { "\(TOMLText.key(field)) = \(TOMLText.quoted($0))" }
        }
        set("rename", renames.isEmpty ? "{}" : "{ " + renames.joined(separator: ", ") + " }")

        section("[archive]")
        set("interval", TOMLText.seconds(archive.interval))
        set("database", TOMLText.quoted(archive.database))
        set("keep_days", String(archive.keepDays))
        set("busy_timeout", TOMLText.seconds(archive.busyTimeout))
        set("queue_limit", String(archive.queueLimit))
        set("window", String(archive.window))
        section("[archive.extractors]")
        for field in Fields.known {
            set(TOMLText.key(field), TOMLText.quoted(archive.extractor(for: field).rawValue))
        }

        section("[commands]")
        set("enabled", String(commands.enabled))

        section("[log]")
        set("level", TOMLText.quoted(log.level.rawValue))
        return lines.joined(separator: "\n") + "\n"
    }
}

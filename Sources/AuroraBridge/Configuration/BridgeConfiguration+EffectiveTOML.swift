extension BridgeConfiguration {
    /// The effective configuration as TOML, for `aurora-bridge check-config`: every key with the
    /// value in force (defaults included). Keys that are not set appear as comments, and secrets
    /// only as a comment saying `<redacted>` and where they come from. Parsing it again (with
    /// the same environment and secret files) gives an equal configuration.
    public var effectiveTOML: String {
        var lines = ["# aurora-bridge: effective configuration (defaults filled in, secrets redacted)"]
        func section<Section: ConfigSection>(_ title: String, _ settings: Section, _ more: [String] = []) {
            lines += ["", title] + Section.entries.flatMap { $0.show(settings) } + more
        }
        section("[mqtt]", mqtt)
        if let tls = mqtt.tls { section("[mqtt.tls]", tls) } else { lines += ["", "[mqtt.tls]", "enabled = false"] }
        section("[topics]", topics)
        section("[homeassistant]", homeAssistant)
        section("[retain]", retain)
        section("[stats]", stats)
        section("[plant]", plant)
        section("[bus]", bus)
        for inverter in inverters { section("[[inverter]]", inverter) }
        section("[fields]", fields, [fields.renameLine])
        section("[archive]", archive, archive.extractorLines)
        section("[commands]", commands)
        section("[log]", log)
        section("[http]", http)
        return lines.joined(separator: "\n") + "\n"
    }
}

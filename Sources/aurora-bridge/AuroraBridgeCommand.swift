import ArgumentParser
import AuroraBridge

/// `aurora-bridge`: publishes Aurora inverter data to MQTT, and talks to inverters one-shot.
@main
struct AuroraBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aurora-bridge",
        abstract: "Publish Power One / ABB / FIMER Aurora inverter data to MQTT.",
        version: BridgeVersion.current,
        subcommands: [
            RunCommand.self, ScanCommand.self, InitCommand.self, CheckConfigCommand.self, QueryCommand.self, SetTimeCommand.self,
            ArchiveCommand.self, EventsCommand.self, DiscoveryCommand.self,
        ]
    )
}

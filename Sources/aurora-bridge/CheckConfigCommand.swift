import ArgumentParser
import AuroraBridge

/// `aurora-bridge check-config`: validates the configuration and prints it in full.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective settings (secrets redacted).",
        discussion: "Exits 0 when the file is valid and 78 otherwise, naming the file, line and key of every problem."
    )

    @OptionGroup var config: ConfigOption

    func run() throws {
        print(try config.load().effectiveTOML, terminator: "")
    }
}

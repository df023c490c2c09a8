import ArgumentParser
import AuroraBridge
import Foundation

/// `aurora-bridge check-config`: validates the configuration and prints it in full.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective settings (secrets redacted).",
        discussion: """
            Exits 0 when the file is valid and 78 otherwise, naming the file, line and key of every problem. \
            Warnings (poll intervals that need more than the bus carries) go to standard error and keep exit 0. \
            With --keys, prints every key with what it allows, its default and what it is for \
            (the text of docs/configuration.md) instead.
            """
    )

    @OptionGroup var config: ConfigOption

    @Flag(name: .customLong("keys"), help: "Print every configuration key (Markdown) instead of checking a file.")
    var keys = false

    func run() throws {
        if keys {
            print(ConfigSchema.keyList, terminator: "")
            return
        }
        let configuration = try config.load()
        print(configuration.effectiveTOML, terminator: "")
        if let warning = configuration.busCapacityWarning {
            FileHandle.standardError.write(Data("aurora-bridge: warning: \(warning)\n".utf8))
        }
    }
}

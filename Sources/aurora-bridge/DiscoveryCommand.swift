import ArgumentParser
import AuroraBridge
import Foundation

/// `aurora-bridge discovery`: Home Assistant discovery maintenance.
struct DiscoveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discovery",
        abstract: "Home Assistant discovery maintenance.",
        subcommands: [Remove.self]
    )

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear every retained topic this bridge announced, before uninstalling it.",
            discussion: """
                Publishes an empty retained message on every discovery config and status topic \
                recorded in the state database and on every one the configuration would announce, \
                so Home Assistant removes the devices and the broker forgets the topics. Stop the \
                bridge first, or it announces them again. Exits 69 if the broker cannot be reached \
                or does not acknowledge within 10 seconds.
                """
        )

        @OptionGroup var config: ConfigOption

        func run() async throws {
            let configuration = try config.load()
            let store = try ArchiveStore(path: configuration.archive.database, busyTimeout: configuration.archive.busyTimeout)
            do {
                let outcome = try await DiscoveryRemoval(configuration: configuration).run(store: store)
                print(outcome.description)
            } catch {
                FileHandle.standardError.write(Data("aurora-bridge: \(error)\n".utf8))
                throw ExitCode(69)
            }
        }
    }
}

import ArgumentParser
import AuroraBridge
import Foundation

/// The `--config FILE` option, and loading it with sysexits code 78 on any problem.
struct ConfigOption: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("The configuration file.", valueName: "file"))
    var path: String = BridgeConfiguration.defaultPath

    /// The configuration, or a printed list of its problems and exit code 78 (EX_CONFIG).
    func load() throws -> BridgeConfiguration {
        do {
            return try BridgeConfiguration.load(path: path, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(78)
        }
    }
}

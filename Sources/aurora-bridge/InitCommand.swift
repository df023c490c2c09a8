import ArgumentParser
import AuroraBridge
import AuroraLink
import Foundation
import Glibc

/// `aurora-bridge init`: scans the bus and writes a commented configuration for what it found.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Scan the bus and write a bridge.conf for the inverters found.",
        discussion: """
            Writes the port, the broker and one [[inverter]] per inverter found (named from its model \
            and address); every other key is shown commented with its default. Never overwrites an \
            existing file without --force (exit 73). Exits 69 when no inverter answers.
            """
    )

    @OptionGroup var bus: ScanOptions

    @Option(help: ArgumentHelp("The MQTT broker (default: localhost:1883).", valueName: "host[:port]"))
    var broker: String?

    @Option(help: ArgumentHelp("Where to write (default: \(BridgeConfiguration.defaultPath) as root, ./bridge.conf otherwise).", valueName: "file"))
    var output: String?

    @Flag(help: "Replace an existing file.")
    var force = false

    func validate() throws {
        _ = try brokerParts()
    }

    func run() async throws {
        let path = output ?? (getuid() == 0 ? BridgeConfiguration.defaultPath : "bridge.conf")
        if !force, FileManager.default.fileExists(atPath: path) {
            FileHandle.standardError.write(Data("aurora-bridge: \(path) exists; not replacing it (use --force to)\n".utf8))
            throw ExitCode(73)
        }
        let found = try await bus.scan()
        let (host, port) = try brokerParts()
        let template = ConfigTemplate(
            port: bus.line.port, brokerHost: host, brokerPort: port,
            inverters: found.map { .init(address: $0.address, model: $0.identity.version.model, serialNumber: $0.identity.serialNumber) }
        )
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(template.text.utf8).write(to: url)
        } catch {
            FileHandle.standardError.write(Data("aurora-bridge: cannot write \(path): \(error.localizedDescription)\n".utf8))
            throw ExitCode(73)
        }
        print(ScanReport.table(found))
        print("wrote \(path); check it with: aurora-bridge check-config --config \(path)")
    }

    /// `--broker` as host and optional port.
    private func brokerParts() throws -> (host: String?, port: Int?) {
        guard let broker else { return (nil, nil) }
        guard let colon = broker.lastIndex(of: ":"), !broker.hasSuffix("]") else {
            guard !broker.isEmpty else { throw ValidationError("--broker needs a host, e.g. localhost or broker.lan:1883") }
            return (broker, nil)
        }
        var host = String(broker[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(broker[broker.index(after: colon)...]), (1...65535).contains(port) else {
            throw ValidationError("--broker must be HOST or HOST:PORT with a port from 1 to 65535, e.g. broker.lan:1883")
        }
        return (host, port)
    }
}

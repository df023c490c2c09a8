import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// What one run of the built `aurora-bridge` printed, and how it exited.
struct CommandResult: CustomStringConvertible {
    /// The exit code, or nil if a signal ended the process.
    let exitCode: Int32?
    /// Standard output.
    let output: String
    /// Standard error.
    let errors: String

    /// Standard output parsed as one JSON object.
    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(output.utf8))
        return try #require(parsed as? [String: Any], "not a JSON object: \(output)", sourceLocation: sourceLocation)
    }

    var description: String { "exit \(exitCode.map(String.init) ?? "by signal")\nstdout: \(output)\nstderr: \(errors)" }
}

/// Runs the built `aurora-bridge` as a subprocess.
enum BridgeCommandLine {
    /// `setpriv`, to run the command as an unprivileged user when the tests run as root.
    static let setpriv = "/usr/bin/setpriv"

    /// Whether ``run(_:timeout:asNobody:)`` can drop privileges.
    static var canRunAsNobody: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv) }

    /// Runs `aurora-bridge arguments…` (as user and group 65534 if `asNobody`) and waits for it to exit.
    static func run(_ arguments: [String], timeout: Duration = .seconds(30), asNobody: Bool = false) async throws -> CommandResult {
        let directory = try TemporaryDirectory("cli")
        let bridge = BuiltProduct.path("aurora-bridge")
        let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", bridge]
        let process = try ChildProcess(
            executable: asNobody ? setpriv : bridge, arguments: asNobody ? nobody + arguments : arguments,
            outputPath: directory.file("stdout"), errorPath: directory.file("stderr")
        )
        try await process.waitForExit(timeout: timeout)
        return CommandResult(
            exitCode: process.exitCode,
            output: (try? String(contentsOfFile: directory.file("stdout"), encoding: .utf8)) ?? "",
            errors: (try? String(contentsOfFile: directory.file("stderr"), encoding: .utf8)) ?? ""
        )
    }

    /// `aurora-bridge query item` on the inverter at 2 of `bus`, its clock in `timeZone`.
    static func query(_ item: String, on bus: SimulatedBus, timeZone: String = "UTC", _ extra: [String] = []) async throws -> CommandResult {
        try await run(["query", item, "--port", try #require(bus.linkPath), "--time-zone", timeZone, "--read-timeout", "1"] + extra)
    }
}

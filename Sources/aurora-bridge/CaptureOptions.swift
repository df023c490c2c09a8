import ArgumentParser
import AuroraBridge
import AuroraLink
import Foundation

/// `--capture FILE` and `--capture-max MB`: record every frame on the bus (see docs/troubleshooting.md).
struct CaptureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Record every frame sent and received to this file, as JSON lines (for aurora-sim --replay).", valueName: "file"))
    var capture: String?

    @Option(help: ArgumentHelp("Stop capturing when the file reaches this many megabytes.", valueName: "MB"))
    var captureMax: Int = 50

    func validate() throws {
        guard captureMax > 0 else { throw ValidationError("--capture-max must be at least 1 (megabytes)") }
    }

    /// The capture file, created now, or nil without `--capture`; exits 73 (EX_CANTCREAT) if it cannot be created.
    func open(port: String, baudRate: Int) throws -> CaptureFile? {
        guard let capture else { return nil }
        do {
            return try CaptureFile(path: capture, version: BridgeVersion.current, port: port, baudRate: baudRate, limit: captureMax * 1_000_000)
        } catch {
            FileHandle.standardError.write(Data("aurora-bridge: \(error)\n".utf8))
            throw ExitCode(73)
        }
    }
}

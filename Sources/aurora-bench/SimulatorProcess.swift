import AuroraTestSupport
import Foundation

/// `aurora-sim` as a subprocess serving always-awake inverters (one at address 2 unless told
/// otherwise) on a pseudo-terminal, so the client's CPU time is measured alone (the simulator
/// burns its own).
final class SimulatorProcess: Sendable {
    /// The link path clients open as the serial port.
    let linkPath: String
    /// The running simulator.
    let process: ChildProcess
    private let logPath: String

    /// Starts `aurora-sim --link <dir>/ttyAurora --always-awake [--baud N]` and waits until the
    /// link appears.
    /// - Parameters:
    ///   - directory: where the link and the simulator's log go.
    ///   - baud: delay each reply by the wire time of request and reply at this rate; nil: no delay.
    ///   - addresses: the inverters' bus addresses.
    ///   - faults: further `aurora-sim` options, e.g. `["--late-rate", "0.03", "--late-ms", "2100"]`.
    /// - Throws: ``BenchmarkError`` if it cannot start or the link does not appear in 10 s.
    init(in directory: TemporaryDirectory, baud: Int?, addresses: [UInt8] = [2], faults: [String] = []) async throws {
        linkPath = directory.file("ttyAurora")
        logPath = directory.file("aurora-sim.log")
        let executable = BuiltProduct.path("aurora-sim")
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkError("aurora-sim is not built at \(executable); run `swift build -c release` (make bench does)")
        }
        var arguments = ["--link", linkPath, "--always-awake"] + addresses.flatMap { ["--address", String($0)] }
        if let baud { arguments += ["--baud", String(baud)] }
        arguments += faults
        process = try ChildProcess(executable: executable, arguments: arguments, outputPath: logPath)
        let linkPath = linkPath
        let process = process
        do {
            try await Deadline.until("aurora-sim to link \(linkPath)", timeout: .seconds(10)) {
                if process.hasExited { throw BenchmarkError("aurora-sim exited at start") }
                return FileManager.default.fileExists(atPath: linkPath)
            }
        } catch {
            process.send(SIGKILL)
            throw BenchmarkError("\(error); its log: \(log.suffix(1000))")
        }
    }

    /// What the simulator printed.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Stops it with SIGTERM (it removes its link) and waits for the exit.
    func stop() async {
        process.send(SIGTERM)
        try? await process.waitForExit(timeout: .seconds(5))
        if !process.hasExited { process.send(SIGKILL) }
    }
}

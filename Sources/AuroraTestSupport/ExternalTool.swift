import Foundation

/// Runs a command-line tool (openssl, mosquitto_passwd) for test fixtures and awaits its exit
/// without blocking a Swift concurrency thread.
public enum ExternalTool {
    /// A tool exited unsuccessfully or could not be launched.
    public struct Failure: Error, CustomStringConvertible {
        /// The command line.
        public let command: String
        /// Its exit status (or -1 if it could not be launched).
        public let status: Int32
        /// What it printed on stdout and stderr.
        public let output: String
        public var description: String { "`\(command)` exited with status \(status): \(output)" }
    }

    /// The absolute path of `name` on `PATH` (plus /usr/sbin and /sbin), or `nil`.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` and returns its combined output; throws ``Failure``
    /// on a non-zero exit.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let outputFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("aurora-tool-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let command = ([executable] + arguments).joined(separator: " ")
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: Failure(command: command, status: -1, output: "\(error)"))
            }
        }
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failure(command: command, status: status, output: output) }
        return output
    }
}

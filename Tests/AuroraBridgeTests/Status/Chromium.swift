import AuroraTestSupport
import Foundation

/// Debian's headless Chromium (`make deps` installs it), loading a page as a person's browser
/// would: scripts run, timers advance on virtual time.
enum Chromium {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The executable.
    static func executable() throws -> String {
        try RequiredTool.path("chromium", package: "chromium")
    }

    /// The DOM of `url` after `budget` of virtual time (the page's timers run within it).
    static func dumpDOM(_ url: String, budget: Duration) async throws -> String {
        try await run(["--dump-dom", url], budget: budget).output
    }

    /// A PNG screenshot of `url` at `width`×`height` after `budget` of virtual time, written to `path`.
    static func screenshot(_ url: String, to path: String, width: Int, height: Int, budget: Duration) async throws {
        _ = try await run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(path)", url], budget: budget)
    }

    private static func run(_ arguments: [String], budget: Duration) async throws -> (output: String, log: String) {
        let directory = try TemporaryDirectory("chromium")
        let milliseconds = budget.components.seconds * 1000
        let process = try ChildProcess(
            executable: try executable(),
            arguments: [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(directory.file("profile"))",
                "--virtual-time-budget=\(milliseconds)",
            ] + arguments,
            outputPath: directory.file("out"), errorPath: directory.file("log"))
        try await process.waitForExit(timeout: .seconds(90))
        let output = (try? String(contentsOfFile: directory.file("out"), encoding: .utf8)) ?? ""
        let log = (try? String(contentsOfFile: directory.file("log"), encoding: .utf8)) ?? ""
        guard process.exitCode == 0 else { throw Failure(description: "chromium exited with \(process.status ?? -1): \(log.suffix(2000))") }
        return (output, log)
    }
}

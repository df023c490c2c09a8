import Foundation

/// `aurora-bridge run` as a subprocess, for tests of signals, crashes and restarts.
public final class BridgeProcess: Sendable {
    /// The running process.
    public let process: ChildProcess
    /// Where its standard output and error go.
    public let logPath: String

    /// Starts `aurora-bridge run --config configPath`, logging to `logPath`, with `environment`
    /// added to this process's; `executable` is the one built alongside unless given (the bench
    /// compares another build).
    public init(
        configPath: String, logPath: String, environment: [String: String] = [:],
        executable: String = BuiltProduct.path("aurora-bridge")
    ) throws {
        self.logPath = logPath
        process = try ChildProcess(
            executable: executable, arguments: ["run", "--config", configPath],
            outputPath: logPath, environment: environment)
    }

    /// What the bridge logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Thrown when the bridge's log did not show what was awaited in time; it carries the log.
    public struct LogExpired: Error, CustomStringConvertible {
        /// The time-out.
        public let expired: Deadline.Expired
        /// The bridge's log at the time-out.
        public let log: String
        public var description: String { "\(expired); the bridge's log:\n\(log)" }
    }

    /// Returns as soon as `condition` holds for the bridge's log; throws ``LogExpired`` (with
    /// the log) after `timeout`.
    public func untilLog(_ what: String, timeout: Duration, _ condition: (String) -> Bool) async throws {
        do {
            try await Deadline.until(what, timeout: timeout, interval: .milliseconds(100)) { condition(log) }
        } catch let expired as Deadline.Expired {
            throw LogExpired(expired: expired, log: log)
        }
    }

    /// Sends SIGTERM and waits for the exit; returns the exit code (`nil` if a signal ended it).
    @discardableResult
    public func terminate(timeout: Duration = .seconds(10)) async throws -> Int32? {
        process.send(SIGTERM)
        try await process.waitForExit(timeout: timeout)
        return process.exitCode
    }

    /// Sends SIGKILL and waits for the exit.
    public func kill() async throws {
        process.send(SIGKILL)
        try await process.waitForExit(timeout: .seconds(10))
    }
}

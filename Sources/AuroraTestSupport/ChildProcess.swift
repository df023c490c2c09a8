#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A child process started with `posix_spawn` with every signal unblocked and at its default
/// disposition, its stdout and stderr appended to a file (or to two files).
///
/// The child inherits standard input, output and error only: every other descriptor of this
/// process is closed in it, also those opened without `O_CLOEXEC` (SwiftNIO's accepted
/// sockets, for one). A connection that a long-lived child (a broker) held open by inheritance
/// would not close when this process closes it, and its peer would never see the end.
///
/// Foundation's `Process` passes on the spawning thread's signal mask, and under `swift test`
/// that mask blocks SIGTERM (and SIGINT, SIGHUP, SIGUSR1/2): a child started that way ignores
/// `terminate()`. Fixtures that need to stop a daemon with SIGTERM use this type instead.
public final class ChildProcess: Sendable {
    /// Launching failed.
    public struct Failure: Error, CustomStringConvertible {
        /// What failed, with the `posix_spawn` error text.
        public let description: String
    }

    /// The child's process id.
    public let pid: pid_t
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments` (not including argv[0]), appending its standard output
    /// to `outputPath` and its standard error to `errorPath` (default: also to `outputPath`), with
    /// this process's environment plus `environment`.
    public init(
        executable: String, arguments: [String], outputPath: String, errorPath: String? = nil,
        environment: [String: String] = [:]
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        guard let closeFrom = Self.closeFrom, closeFrom(&actions, 3) == 0 else {
            throw Failure(description: "cannot start \(executable): posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later) is missing")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") { variables[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            entry += 1
        }
        variables.merge(environment) { _, new in new }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not export.
    private static var closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }

    deinit {
        if exitStatus.withLock({ $0 }) == nil {
            _ = kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    /// Sends `signal` (e.g. `SIGTERM`, `SIGKILL`) unless the child has already been reaped.
    public func send(_ signal: Int32) {
        guard !hasExited else { return }
        _ = kill(pid, signal)
    }

    /// Whether the child has exited (reaping it without blocking).
    public var hasExited: Bool {
        exitStatus.withLock { exitStatus in
            if exitStatus != nil { return true }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exitStatus = status
                return true
            }
            return false
        }
    }

    /// The raw `waitpid` status once exited, else `nil`.
    public var status: Int32? {
        _ = hasExited
        return exitStatus.withLock { $0 }
    }

    /// The exit code once the child exited normally; `nil` while running or after a signal.
    public var exitCode: Int32? {
        guard let status, status & 0x7F == 0 else { return nil }
        return (status >> 8) & 0xFF
    }

    /// Waits (polling, never blocking a thread) until the child has exited.
    public func waitForExit(timeout: Duration = .seconds(10)) async throws {
        try await Deadline.until("process \(pid) to exit", timeout: timeout) { hasExited }
    }
}

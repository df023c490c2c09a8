#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Serves a ``Simulator`` on a pseudo-terminal, the stand-in for a USB RS485 adapter: clients
/// open ``linkPath`` (a symbolic link to the pseudo-terminal's slave side) like a serial port.
///
/// The slave is in raw mode. A dedicated thread reads requests from the master side as they
/// arrive, resynchronises after garbage, and writes each reply when it is due: an address
/// answers its requests in order, so a late reply holds back the later replies of its address
/// while the other addresses go on answering (see ``FaultSettings``). The server keeps its own
/// descriptor on the slave open, so clients may open and close the port as often as they like.
/// ``disconnect()`` and ``reconnect()`` simulate unplugging and replugging the adapter.
///
/// Because the server holds the slave open, replies that a client never read (say, a late reply
/// after the client gave up and closed the port) stay queued for the next client, as stale bytes
/// would on a real line: clients should flush their input before each request.
///
/// - Important: Call ``stop()`` when done: it joins the thread, closes the descriptors and
///   removes the link.
public final class PseudoTerminalServer: Sendable {
    /// Where the link to the slave side appears.
    public let linkPath: String
    private let simulator: Simulator

    private struct Session: Sendable {
        let master: Int32
        let slave: Int32
        let slavePath: String
        let wake: WakePipe
        let thread: ServingThread
    }

    private enum State: Sendable {
        case connected(Session)
        case disconnected
        case stopped
    }

    private let state: Mutex<State>

    /// Creates a pseudo-terminal, links its slave side at `linkPath` (replacing a stale symbolic
    /// link there) and starts serving `simulator` on it.
    /// - Throws: ``SimulatorError/linkPathOccupied(_:)`` if `linkPath` is something other than a
    ///   symbolic link; ``SimulatorError/systemCall(_:errno:)`` if the pseudo-terminal, the link
    ///   or the thread cannot be created.
    public init(simulator: Simulator, linkPath: String) throws(SimulatorError) {
        self.simulator = simulator
        self.linkPath = linkPath
        state = Mutex(.connected(try Self.makeSession(linkPath: linkPath, simulator: simulator)))
    }

    deinit { stop() }

    /// The path of the slave side (e.g. `/dev/pts/3`), or nil while disconnected or stopped.
    public var slavePath: String? {
        state.withLock { state in
            if case .connected(let session) = state { return session.slavePath }
            return nil
        }
    }

    /// Whether the simulated adapter is plugged in.
    public var isConnected: Bool { slavePath != nil }

    /// Simulates unplugging the adapter: closes the pseudo-terminal (clients see a hang-up and
    /// EIO) and removes the link. Does nothing if already disconnected.
    public func disconnect() {
        let session = state.withLock { state -> Session? in
            guard case .connected(let session) = state else { return nil }
            state = .disconnected
            return session
        }
        if let session { close(session) }
    }

    /// Simulates plugging the adapter back in: a new pseudo-terminal linked at the same path.
    /// Does nothing if connected.
    /// - Throws: ``SimulatorError/stopped`` after ``stop()``; otherwise the errors of ``init(simulator:linkPath:)``.
    public func reconnect() throws(SimulatorError) {
        try state.withLock { state throws(SimulatorError) in
            switch state {
            case .connected: return
            case .stopped: throw .stopped
            case .disconnected: state = .connected(try Self.makeSession(linkPath: linkPath, simulator: simulator))
            }
        }
    }

    /// Stops serving for good: joins the thread, closes the pseudo-terminal and removes the link.
    /// Safe to call more than once.
    public func stop() {
        let session = state.withLock { state -> Session? in
            defer { state = .stopped }
            if case .connected(let session) = state { return session }
            return nil
        }
        if let session { close(session) }
    }

    private func close(_ session: Session) {
        session.wake.signal()
        session.thread.join()
        session.wake.close()
        Posix.closeIgnoringErrors(session.master)
        Posix.closeIgnoringErrors(session.slave)
        if Self.linkTarget(linkPath) == session.slavePath { unlink(linkPath) }
    }

    private static func makeSession(linkPath: String, simulator: Simulator) throws(SimulatorError) -> Session {
        guard let calls = PseudoTerminalCalls.system else { throw .systemCall("dlsym(posix_openpt)", errno: ENOSYS) }
        let master = calls.openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw .systemCall("posix_openpt", errno: errno) }
        var slave: Int32 = -1
        var wake: WakePipe?
        do throws(SimulatorError) {
            guard calls.grantpt(master) == 0 else { throw .systemCall("grantpt", errno: errno) }
            guard calls.unlockpt(master) == 0 else { throw .systemCall("unlockpt", errno: errno) }
            var name = [CChar](repeating: 0, count: 256)
            let nameResult = calls.ptsname(master, &name, name.count)
            guard nameResult == 0 else { throw .systemCall("ptsname_r", errno: nameResult) }
            let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            slave = open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard slave >= 0 else { throw .systemCall("open(\(slavePath))", errno: errno) }
            var attributes = termios()
            guard tcgetattr(slave, &attributes) == 0 else { throw .systemCall("tcgetattr", errno: errno) }
            cfmakeraw(&attributes)
            guard tcsetattr(slave, TCSANOW, &attributes) == 0 else { throw .systemCall("tcsetattr", errno: errno) }
            try Posix.prepare(master)
            try replaceLink(at: linkPath, with: slavePath)
            let pipe = try WakePipe()
            wake = pipe
            let slaveDescriptor = slave
            let thread = try ServingThread {
                serve(master: master, slave: slaveDescriptor, wake: pipe, simulator: simulator)
            }
            return Session(master: master, slave: slave, slavePath: slavePath, wake: pipe, thread: thread)
        } catch {
            wake?.close()
            if slave >= 0 { Posix.closeIgnoringErrors(slave) }
            Posix.closeIgnoringErrors(master)
            throw error
        }
    }

    /// The serving loop: runs on the session's own thread until the wake pipe is signalled.
    private static func serve(master: Int32, slave: Int32, wake: WakePipe, simulator: Simulator) {
        // Replies nobody reads pile up in the slave's input queue; when it is full, drop them.
        let channel = RequestChannel(descriptor: master, isSocket: false) { _ = tcflush(slave, TCIFLUSH) }
        var scheduler = ReplyScheduler(simulator: simulator, channels: [channel])
        while true {
            let events = scheduler.step(wake: wake)
            if events.stopRequested { return }
            // Cannot happen while the server holds the slave open; back off instead of spinning.
            if !events.closedChannels.isEmpty, wake.wait(for: .milliseconds(20)) { return }
        }
    }

    private static func replaceLink(at linkPath: String, with target: String) throws(SimulatorError) {
        var status = stat()
        if lstat(linkPath, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFLNK else { throw .linkPathOccupied(linkPath) }
            guard unlink(linkPath) == 0 else { throw .systemCall("unlink(\(linkPath))", errno: errno) }
        }
        guard symlink(target, linkPath) == 0 else { throw .systemCall("symlink(\(linkPath))", errno: errno) }
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import AuroraProtocol
import Glibc
import Logging

/// One inverter bus: a serial port or TCP adapter, and the request/reply transactions on it.
///
/// A transaction discards stale input, writes the 10-byte request and waits (with `poll`, no
/// fixed sleep) for a valid 8-byte reply until the read timeout, skipping stray bytes in front
/// of it. Failed attempts are retried up to ``LinkConfiguration/maxTries`` times; repeated bad
/// replies reopen the port; a vanished device is reopened with back-off while callers get
/// ``LinkError/deviceUnavailable(_:reason:)``. Items an inverter says it does not support are
/// remembered and not asked for again.
///
/// - Important: the actor runs on its own thread, so blocking I/O never stalls other tasks.
public actor Link {
    /// The bus settings.
    public nonisolated let configuration: LinkConfiguration
    /// Counters of requests, replies and errors.
    public private(set) var statistics = LinkStatistics()

    private nonisolated let executor: ThreadExecutor
    private let logger: Logger
    private var connection: Connection?
    private var everOpened = false
    private var reopenNotBefore: ContinuousClock.Instant?
    private var reopenBackoff: Duration
    private var lossReason = ""
    /// Why the last attempt to open the port failed, reported again while waiting to retry.
    private var lastOpenError: LinkError?
    /// The port was closed on purpose after repeated bad replies: reopen it at once.
    private var cycling = false
    private var unsupported: [Request: TransmissionError] = [:]

    /// The link runs its I/O on a dedicated thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// A link for `configuration`. The port is opened on first use (or by ``open()``).
    public init(configuration: LinkConfiguration, logger: Logger = Logger(label: "aurora.link")) {
        self.configuration = configuration
        self.logger = logger
        self.reopenBackoff = configuration.reopenBackoffMin
        self.executor = ThreadExecutor(name: "aurora-link \(configuration.port)")
    }

    deinit { executor.shutdown() }

    /// Opens the port now (without waiting for a reopen back-off), so a wrong path or a busy port
    /// is reported before polling starts.
    /// - Throws: ``LinkError/cannotOpen(_:reason:)``, ``LinkError/portInUse(_:)`` and the like.
    public func open() throws(LinkError) {
        _ = try openConnection(now: true)
    }

    /// Closes the port (releasing its lock); the next transaction or ``open()`` opens it again as
    /// if for the first time.
    public func close() {
        connection = nil
        everOpened = false
        cycling = false
        reopenNotBefore = nil
        lastOpenError = nil
        reopenBackoff = configuration.reopenBackoffMin
    }

    /// Sends `request` and returns the inverter's checked reply.
    /// - Parameters:
    ///   - request: the request frame.
    ///   - tries: attempts before giving up (default: ``LinkConfiguration/maxTries``); a cheap
    ///     probe of a sleeping inverter uses 1.
    /// - Throws: ``LinkError``: no reply, only bad replies, a refusal (non-zero transmission
    ///   state), or the port being unavailable.
    public func transact(_ request: Request, tries: Int? = nil) throws(LinkError) -> Response {
        let tries = max(1, tries ?? configuration.maxTries)
        if let refusal = unsupported[request] { throw .refused(refusal) }
        var lastProblem = ""
        var onlySilence = true
        var badInARow = 0
        for attempt in 1...tries {
            let connection = try openConnection()
            let reply: Response
            do {
                reply = try exchange(request, on: connection)
            } catch {
                switch error {
                case .silence:
                    statistics.timeouts += 1
                    lastProblem = "no reply"
                    badInARow = 0
                case .short(let received):
                    statistics.shortReplies += 1
                    lastProblem = "only \(received) of 8 bytes"
                    onlySilence = false
                    badInARow += 1
                case .crc(let frame):
                    statistics.crcErrors += 1
                    lastProblem = "CRC mismatch in \(frame.hexString)"
                    onlySilence = false
                    badInARow += 1
                case .lost(let reason):
                    dropConnection(because: reason)
                    throw .deviceUnavailable(connection.name, reason: reason)
                }
                logger.debug("attempt failed", metadata: ["request": "\(request)", "try": "\(attempt)", "problem": "\(lastProblem)"])
                if badInARow >= 2 {
                    cyclePort()
                    badInARow = 0
                }
                continue
            }
            statistics.replies += 1
            do {
                return try reply.checked(for: request.command)
            } catch {
                statistics.refusals += 1
                if error.isNotSupported {
                    unsupported[request] = error
                    logger.info("inverter does not support this item; not asking again", metadata: ["request": "\(request)"])
                }
                if error.state.isRetryable && attempt < tries { continue }
                throw .refused(error)
            }
        }
        if onlySilence {
            throw .noReply(request, tries: tries, timeout: configuration.readTimeout)
        }
        throw .badReply(request, tries: tries, lastProblem: lastProblem)
    }

    // MARK: - One attempt

    private enum ExchangeFailure: Error {
        case silence
        case short(received: Int)
        case crc(frame: [UInt8])
        case lost(String)
    }

    /// How long to keep listening for the rest of a reply once bytes stopped forming a valid
    /// frame (stray bytes in front of the reply).
    private var resynchronisationWindow: Duration {
        max(.milliseconds(30), .microseconds(10 * 20 * 1_000_000 / max(configuration.baudRate, 1)))
    }

    private func exchange(_ request: Request, on connection: Connection) throws(ExchangeFailure) -> Response {
        var deadline = ContinuousClock.now + configuration.readTimeout
        var buffer: [UInt8] = []
        do throws(Connection.Failure) {
            try connection.discardInput()
            statistics.requests += 1
            try connection.write(request.bytes, deadline: deadline)
            if configuration.commandDelay > .zero {
                Self.pause(configuration.commandDelay)
                // The read timeout counts from the end of the delay, as with the reference driver.
                deadline = .now + configuration.readTimeout
            }
            try connection.read(into: &buffer, upTo: Response.length, deadline: deadline)
        } catch {
            switch error {
            case .timedOut(let received): throw received == 0 ? .silence : .short(received: received)
            case .lost(let reason): throw .lost(reason)
            }
        }
        while true {
            if let (reply, offset) = Self.firstValidFrame(in: buffer) {
                if offset > 0 { statistics.resynchronisations += 1 }
                return reply
            }
            // Stray bytes in front of the reply: listen briefly for the rest of it.
            let quietDeadline = min(deadline, .now + resynchronisationWindow)
            do throws(Connection.Failure) {
                try connection.read(into: &buffer, upTo: buffer.count + 1, deadline: quietDeadline)
            } catch {
                if case .lost(let reason) = error { throw .lost(reason) }
                throw .crc(frame: Array(buffer.suffix(Response.length)))
            }
        }
    }

    private static func firstValidFrame(in buffer: [UInt8]) -> (Response, Int)? {
        guard buffer.count >= Response.length else { return nil }
        for offset in 0...(buffer.count - Response.length) {
            if let reply = try? Response(frame: buffer[offset..<(offset + Response.length)]) {
                return (reply, offset)
            }
        }
        return nil
    }

    private static func pause(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    // MARK: - Port lifecycle

    /// The open port, opening it if needed. While a reopen back-off runs, fails at once with the
    /// reason the port is unavailable, unless `now` (an explicit ``open()``) asks to try anyway.
    private func openConnection(now: Bool = false) throws(LinkError) -> Connection {
        if let connection { return connection }
        let name = configuration.port.description
        if !now, !cycling, let notBefore = reopenNotBefore, ContinuousClock.now < notBefore {
            if everOpened { throw .deviceUnavailable(name, reason: lossReason) }
            throw lastOpenError ?? .deviceUnavailable(name, reason: lossReason)
        }
        let wasCycling = cycling
        cycling = false
        do {
            let opened = try wasCycling ? reopenAfterCycle() : Connection.open(configuration.port, baudRate: configuration.baudRate, timeout: configuration.readTimeout)
            if everOpened {
                statistics.reopens += 1
                if !wasCycling { logger.notice("port is back", metadata: ["port": "\(name)"]) }
            }
            everOpened = true
            connection = opened
            reopenNotBefore = nil
            lastOpenError = nil
            reopenBackoff = configuration.reopenBackoffMin
            return opened
        } catch {
            reopenNotBefore = .now + reopenBackoff
            reopenBackoff = min(reopenBackoff * 2, configuration.reopenBackoffMax)
            lastOpenError = error
            guard everOpened, !now else { throw error }
            lossReason = "reopening failed: \(error)"
            throw .deviceUnavailable(name, reason: lossReason)
        }
    }

    private func dropConnection(because reason: String) {
        logger.warning("port lost; reopening with back-off", metadata: ["port": "\(configuration.port)", "reason": "\(reason)"])
        connection = nil
        lossReason = reason
        reopenNotBefore = .now + reopenBackoff
        reopenBackoff = min(reopenBackoff * 2, configuration.reopenBackoffMax)
    }

    /// Opens the port again right after ``cyclePort()`` closed it.
    ///
    /// The lock can outlive our close for a moment: a child process that another thread is
    /// starting holds a copy of every descriptor between fork and exec. So a lock conflict is
    /// retried for up to 200 ms before it counts.
    private func reopenAfterCycle() throws(LinkError) -> Connection {
        var attempt = 0
        while true {
            do {
                return try Connection.open(configuration.port, baudRate: configuration.baudRate, timeout: configuration.readTimeout)
            } catch {
                guard case .portInUse = error, attempt < 20 else { throw error }
                attempt += 1
                Self.pause(.milliseconds(10))
            }
        }
    }

    /// Closes the port after repeated bad replies, the classic cure for an adapter stuck in a bad
    /// state; the next attempt reopens it at once.
    ///
    /// The reopen waits for that attempt because the failed one still holds the descriptor (and
    /// its lock) until it ends.
    private func cyclePort() {
        logger.info("repeated bad replies; reopening the port", metadata: ["port": "\(configuration.port)"])
        connection = nil
        cycling = true
    }
}

import AuroraProtocol
import Glibc
import Logging

/// One inverter bus: a serial port or TCP adapter, and the request/reply transactions on it.
///
/// A transaction discards stale input, writes the 10-byte request and waits (with `poll`, no
/// fixed sleep) for a valid 8-byte reply until the read timeout. Failed attempts are retried up
/// to ``LinkConfiguration/maxTries`` times; repeated bad replies reopen the port; a vanished
/// device is reopened with back-off while callers get ``LinkError/deviceUnavailable(_:reason:)``.
/// Items an inverter says it does not support are remembered and not asked for again.
///
/// ## Never a wrong number: alignment
///
/// Aurora replies carry no address or command echo, so a reply that arrives after the read
/// timeout would be taken as the answer to a later request. The link therefore proves the byte
/// stream is aligned before it decodes a reply (see `AlignmentTracker`):
///
/// - The stream delivers in order (a half-duplex bus, a serial line, TCP) and an inverter sends
///   at most one reply per request. The link is *aligned* when no earlier request may still be
///   answered; it is after opening a port. On an aligned link the first frame after a request is
///   its reply: the healthy path costs nothing extra.
/// - Any fault (timeout, bad CRC, short reply, stray bytes, input found when flushing, more than
///   one frame, a reply equal to another item's known answer) leaves the link unaligned, and the
///   faulty reply is not decoded (a whole reply behind stray bytes is, as the stream was aligned
///   before it).
/// - While unaligned, an attempt sends a *probe* instead of the caller's request: an identity
///   request (serial number 63, part number 52, version 58, firmware 72, manufacturing date 65)
///   whose answer the link knows. It reads without flushing and throws every frame away until a
///   known answer proves which probe it answers; then every earlier request is done, and the
///   caller's request goes out in the same attempt. A probe kind is not reused while an earlier
///   one may be outstanding (a late reply to it would match too); when several outstanding
///   probes match, only the first counts as resolved. When every known kind is outstanding the
///   attempt only listens. A probe waits up to the read timeout, so `tries` bounds the time a
///   transaction takes as before; a silent inverter still gives ``LinkError/noReply(_:tries:timeout:)``.
/// - Known answers are learned per address from clean identity replies on an aligned link:
///   from the caller's (e.g. ``Inverter/identity()``), and, right after the first realignment,
///   by reading the items still unknown (the cost of learning is paid only after a fault). With
///   none known, the link learns while unaligned: a text reply that is no known answer can only
///   answer an outstanding text request (52, 63), so enough equal ones in a row give the answer.
/// - Probes older than ``LinkConfiguration/lateReplyHorizon`` are forgotten; a probe reply that
///   comes later still is recognised as another item's answer and thrown away.
/// - A 51/52 refusal blacklists an item only when it arrived clean on an aligned link.
///
/// ``statistics`` counts ``LinkStatistics/realignments`` and ``LinkStatistics/discardedFrames``.
///
/// - Important: the actor runs on its own thread, so blocking I/O never stalls other tasks.
public actor Link {
    /// The bus settings.
    public nonisolated let configuration: LinkConfiguration
    /// Counters of requests, replies and errors.
    public private(set) var statistics = LinkStatistics()

    private nonisolated let executor: ThreadExecutor
    private let logger: Logger
    private let capture: (any LinkCapture)?
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
    /// What may still be answered on the stream, and the known answers that prove alignment.
    private var tracker = AlignmentTracker()
    /// How often each identity item was read to learn its answer (at most three times).
    private var learningTries: [AlignmentTracker.Item: Int] = [:]

    /// The link runs its I/O on a dedicated thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// A link for `configuration`. The port is opened on first use (or by ``open()``).
    /// - Parameter capture: where every byte on the bus is recorded (nil, the default: nowhere).
    public init(configuration: LinkConfiguration, logger: Logger = Logger(label: "aurora.link"), capture: (any LinkCapture)? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.capture = capture
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
    ///     probe of a sleeping inverter uses 1. Realigning after a fault sends up to as many probes.
    /// - Throws: ``LinkError``: no reply, only bad replies, a refusal (non-zero transmission
    ///   state), or the port being unavailable.
    public func transact(_ request: Request, tries: Int? = nil) throws(LinkError) -> Response {
        let tries = max(1, tries ?? configuration.maxTries)
        if let refusal = unsupported[request] { throw .refused(refusal) }
        let began = ContinuousClock.now
        defer {
            let (seconds, attoseconds) = began.duration(to: .now).components
            statistics.busySeconds += Double(seconds) + Double(attoseconds) / 1e18
        }
        var lastProblem = ""
        var onlySilence = true
        var badInARow = 0
        for attempt in 1...tries {
            let connection = try openConnection()
            let reply: Response
            let clean: Bool
            // On TCP only bad replies to the request itself count towards reopening the port: a
            // new connection may lose the replies to probes, which then stay outstanding.
            var requestSent = false
            do {
                try align(before: request, learn: tries > 1, on: connection)
                requestSent = true
                (reply, clean) = try exchange(request, on: connection)
                capture?.judged(clean ? .accepted : .acceptedAfterStray)
            } catch {
                judge(error)
                switch error {
                case .silence:
                    statistics.timeouts += 1
                    lastProblem = "no reply"
                    badInARow = 0
                case .short(let received):
                    statistics.shortReplies += 1
                    lastProblem = "only \(received) of 8 bytes"
                    onlySilence = false
                    if requestSent || connection.kind == .serial { badInARow += 1 }
                case .crc(let frame):
                    statistics.crcErrors += 1
                    lastProblem = "CRC mismatch in \(frame.hexString)"
                    onlySilence = false
                    if requestSent || connection.kind == .serial { badInARow += 1 }
                case .unexpected:
                    lastProblem = "replies that belong to other requests (late replies?)"
                    onlySilence = false
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
                if error.isNotSupported && clean {
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

    /// Reads the identity items of `address` not known yet while the link is aligned (each at
    /// most three times): their answers are what proves the link realigned after the next fault.
    /// Stops at the first fault; a refused item is never asked again.
    private func learnIdentity(of address: UInt8, on connection: Connection) throws(ExchangeFailure) {
        for kind in tracker.itemsToLearn(address: address) {
            let item = AlignmentTracker.Item(address: address, kind: kind)
            guard learningTries[item, default: 0] < 3 else { continue }
            guard tracker.isAligned else { return }
            do throws(Connection.Failure) {
                guard try connection.discardInput() == 0 else { return tracker.strayInput(at: .now) }
            } catch {
                if case .lost(let reason) = error { throw .lost(reason) }
            }
            learningTries[item, default: 0] += 1
            let request = kind.request(address: address)
            do throws(ExchangeFailure) {
                let (reply, _) = try exchange(request, on: connection)
                capture?.judged(.accepted)
                if !kind.isText, !reply.transmissionState.isOK { tracker.refused(request) }
            } catch {
                judge(error)
                if case .lost = error { throw error }
                return
            }
        }
    }

    // MARK: - One attempt

    private enum ExchangeFailure: Error {
        case silence
        case short(received: Int)
        case crc(frame: [UInt8])
        /// Valid frames that cannot be the reply (more than one, another item's known answer), or
        /// that do not prove the stream aligned.
        case unexpected(frames: Int)
        case lost(String)
    }

    /// How long to keep listening for the rest of a reply once bytes stopped forming a valid
    /// frame (stray bytes in front of the reply).
    private var resynchronisationWindow: Duration {
        max(.milliseconds(30), .microseconds(10 * 20 * 1_000_000 / max(configuration.baudRate, 1)))
    }

    /// Makes sure the next frame on the stream answers the next request: flushes input on an
    /// aligned link (bytes found there are a fault); on an unaligned one sends one probe and
    /// reads until a known answer proves the stream aligned, then learns the identity answers
    /// still unknown (`learn`). Throws what the probe got instead of proof, like a failed attempt.
    private func align(before request: Request, learn: Bool, on connection: Connection) throws(ExchangeFailure) {
        let now = ContinuousClock.now
        tracker.expire(before: now - configuration.effectiveLateReplyHorizon)
        if tracker.isAligned {
            do throws(Connection.Failure) {
                if try connection.discardInput() == 0 { return }
            } catch {
                if case .lost(let reason) = error { throw .lost(reason) }
            }
            tracker.strayInput(at: now)
        }
        try realign(preferring: request.address, on: connection)
        capture?.judged(.proof)
        statistics.realignments += 1
        logger.debug("realigned", metadata: ["port": "\(configuration.port)"])
        // The first fault is when knowing more answers starts to pay: learn them now.
        guard learn, !tracker.itemsToLearn(address: request.address).isEmpty else { return }
        try learnIdentity(of: request.address, on: connection)
        if !tracker.isAligned {
            try realign(preferring: request.address, on: connection)
            capture?.judged(.proof)
        }
    }

    /// Tells the capture what the bytes of a failed attempt were.
    private func judge(_ failure: ExchangeFailure) {
        switch failure {
        case .short: capture?.judged(.short)
        case .crc: capture?.judged(.crc)
        case .unexpected: capture?.judged(.unplaced)
        case .silence, .lost: capture?.judged(.flushed)
        }
    }

    /// Sends one probe (none if every known item is outstanding) and reads without flushing,
    /// throwing frames away, until a known answer proves the stream aligned. Gives up at the
    /// read timeout, or when only bytes that form no frame came and then stopped for the
    /// resynchronisation window.
    private func realign(preferring address: UInt8, on connection: Connection) throws(ExchangeFailure) {
        var scanner = ReplyScanner()
        var received: [UInt8] = []
        var frames = 0
        var deadline = ContinuousClock.now + configuration.readTimeout
        do throws(Connection.Failure) {
            if let probe = tracker.nextProbe(preferring: address) { deadline = try send(probe, on: connection) }
            while true {
                var chunk: [UInt8] = []
                // Bytes that form no frame (a mangled reply) end the wait once they stop coming.
                let quiet = received.isEmpty || frames > 0 ? deadline : min(deadline, .now + resynchronisationWindow)
                try connection.read(into: &chunk, upTo: 1, deadline: quiet)
                received += chunk
                scanner.append(chunk)
                while let frame = scanner.nextFrame() {
                    frames += 1
                    if !tracker.received(frame) { statistics.discardedFrames += 1 }
                }
                guard tracker.isAligned else { continue }
                if scanner.pendingByteCount == 0 { return }
                // Bytes after the proving answer: something else is talking.
                tracker.strayInput(at: .now)
                scanner = ReplyScanner()
            }
        } catch {
            if case .lost(let reason) = error { throw .lost(reason) }
        }
        if received.isEmpty { throw .silence }
        if frames > 0 { throw .unexpected(frames: frames) }
        if received.count < Response.length { throw .short(received: received.count) }
        throw .crc(frame: Array(received.suffix(Response.length)))
    }

    /// One request on an aligned link, and its reply: `clean` when nothing else came with it.
    /// A fault leaves the request outstanding, so the link is unaligned afterwards.
    private func exchange(_ request: Request, on connection: Connection) throws(ExchangeFailure) -> (reply: Response, clean: Bool) {
        let deadline: ContinuousClock.Instant
        var buffer: [UInt8] = []
        do throws(Connection.Failure) {
            deadline = try send(request, on: connection)
            try connection.read(into: &buffer, upTo: Response.length, deadline: deadline)
        } catch {
            switch error {
            case .timedOut(let received): throw received == 0 ? .silence : .short(received: received)
            case .lost(let reason): throw .lost(reason)
            }
        }
        // The healthy case: exactly one clean frame.
        if buffer.count == Response.length, let reply = try? Response(frame: buffer), !tracker.isForeign(reply, to: request) {
            tracker.answered(request, with: reply)
            return (reply, true)
        }
        while true {
            let scan = ReplyScanner.scan(buffer)
            if scan.frames.count > 1 || (scan.frames.count == 1 && scan.pendingBytes > 0) {
                statistics.discardedFrames += scan.frames.count
                throw .unexpected(frames: scan.frames.count)
            }
            if let reply = scan.frames.first {
                if tracker.isForeign(reply, to: request) {
                    statistics.discardedFrames += 1
                    throw .unexpected(frames: 1)
                }
                guard scan.strayBytes == 0 else {
                    // The whole reply behind stray bytes: decoded, but the stream is suspect.
                    statistics.resynchronisations += 1
                    return (reply, false)
                }
                tracker.answered(request, with: reply)
                return (reply, true)
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

    /// Writes `request`, records it as outstanding and waits the command delay; returns the
    /// deadline for its reply.
    private func send(_ request: Request, on connection: Connection) throws(Connection.Failure) -> ContinuousClock.Instant {
        statistics.requests += 1
        try connection.write(request.bytes, deadline: .now + configuration.readTimeout)
        tracker.sent(request, at: .now)
        if configuration.commandDelay > .zero { Self.pause(configuration.commandDelay) }
        // The read timeout counts from the end of the delay, as with the reference driver.
        return .now + configuration.readTimeout
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
            opened.capture = capture
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

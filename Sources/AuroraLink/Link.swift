import AuroraProtocol
import Logging

/// One inverter bus: a serial port or TCP adapter, and the request/reply transactions on it.
///
/// A transaction discards stale input, writes the 10-byte request and waits (with `poll`, no
/// fixed sleep) for a valid 8-byte reply. Failed attempts are retried up to
/// ``LinkConfiguration/maxTries`` times; repeated bad replies reopen the port; a vanished device
/// is reopened with back-off while callers get ``LinkError/deviceUnavailable(_:reason:)``. Items
/// an inverter says it does not support are remembered and not asked for again.
///
/// ## A reply timeout learned from the line
///
/// Each inverter's requests wait a timeout learned from its replies like TCP's retransmission
/// timeout (``ReplyTimer``): a smoothed latency plus four times its variation, at least the wire
/// time of request and reply at the baud rate, at most ``LinkConfiguration/readTimeout`` (and
/// the read timeout itself until the first reply). Every silent wait of a transaction doubles
/// the next one, up to the read timeout. A reply later than the timeout is harmless, since
/// alignment (below) catches it, so a short timeout costs time and never correctness.
///
/// An inverter counts as not answering (``LinkError/noReply(_:tries:timeout:)``) only when
/// nothing at all came from it during the transaction: every try was silent, and the silent
/// waits add up to the tries times the read timeout, as with a fixed timeout (more tries are
/// made while they do not), so a reply that late is still caught. A transaction in which the
/// inverter answered anything ends in ``LinkError/badReply(_:tries:lastProblem:)``.
///
/// ## Never a wrong number: alignment
///
/// Aurora replies carry no address or command echo, so a reply that arrives after its timeout
/// would be taken as the answer to a later request. The link therefore proves that a reply can
/// be placed before it decodes it (see ``AlignmentTracker``):
///
/// - The stream delivers in order (a half-duplex bus, a serial line, TCP), each inverter answers
///   its own requests in order and at most once, but a late reply of one inverter may arrive
///   after another's prompt one. The link is *aligned* for an inverter when no other reply can
///   come first: it is after opening a port. On an aligned link the first frame after a request
///   is its reply: the healthy path costs nothing extra.
/// - A reply that arrives in its place mangled (a wrong CRC, cut short) was still that
///   request's answer: the request is done and the link stays aligned, so the retry costs one
///   exchange. Any other fault (silence, input found when flushing, more than one frame, a
///   reply equal to another item's known answer, text where none is due) leaves the link
///   unaligned, and the faulty reply is not decoded (a whole reply behind stray bytes is, as
///   the stream was aligned before it, but the link is unaligned afterwards).
/// - While unaligned, an attempt first settles other inverters that may still answer: those
///   that answered lately are sent probes, the others are waited out (at most
///   ``LinkConfiguration/lateReplyHorizon`` for one that answered within it, the read timeout for
///   one silent longer). Then, if the inverter's own requests are outstanding, it sends a
///   *probe*: an identity request (serial number 63, part number 52, version 58, firmware 72,
///   manufacturing date 65) whose answer the link knows and no other inverter shares. It reads
///   without flushing, throws every frame away that it cannot place, and a known answer proves
///   every earlier request of that inverter done; then the caller's request goes out in the same
///   attempt. A frame that only one inverter's outstanding requests could have sent settles its
///   earlier requests too, and its latency teaches the timer when it answers a request sent on
///   an aligned link.
/// - Known answers are learned per address from clean identity replies on an aligned link:
///   from the caller's (e.g. ``Inverter/identity()``), and, right after the first realignment,
///   by reading the items still unknown (the cost of learning is paid only after a fault). With
///   none known, the link learns while unaligned: a text reply that is no known answer can only
///   answer an outstanding text request (52, 63), so enough equal ones in a row give the answer.
/// - Probes older than ``LinkConfiguration/lateReplyHorizon`` are forgotten; a probe reply that
///   comes later still is recognised as another item's answer and thrown away.
/// - A 51/52 refusal blacklists an item only when it arrived clean on an aligned link.
///
/// ``statistics`` counts ``LinkStatistics/realignments`` and ``LinkStatistics/discardedFrames``
/// and shows each inverter's ``LinkStatistics/replyTimeouts``.
///
/// - Important: the actor runs on its own thread, so blocking I/O never stalls other tasks.
public actor Link {
    /// The bus settings.
    public nonisolated let configuration: LinkConfiguration
    /// Counters of requests, replies and errors.
    public internal(set) var statistics = LinkStatistics()

    private nonisolated let executor: ThreadExecutor
    let logger: Logger
    let capture: (any LinkCapture)?
    var connection: Connection?
    var everOpened = false
    var reopenNotBefore: ContinuousClock.Instant?
    var reopenBackoff: Duration
    var lossReason = ""
    /// Why the last attempt to open the port failed, reported again while waiting to retry.
    var lastOpenError: LinkError?
    /// The port was closed on purpose after repeated bad replies: reopen it at once.
    var cycling = false
    private var unsupported: [Request: TransmissionError] = [:]
    /// What may still be answered on the stream, and the known answers that prove alignment.
    var tracker: AlignmentTracker
    /// How often each identity item was read to learn its answer (at most three times).
    var learningTries: [AlignmentTracker.Item: Int] = [:]
    /// The learned reply timeout of each inverter, by address.
    private var timers: [UInt8: ReplyTimer] = [:]

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
        self.tracker = AlignmentTracker(horizon: configuration.effectiveLateReplyHorizon, silenceLimit: configuration.readTimeout)
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

    /// The reply timeout requests to `address` wait now: learned from its replies (see the
    /// type's discussion), or ``LinkConfiguration/readTimeout``.
    public func replyTimeout(for address: UInt8) -> Duration {
        guard configuration.learnsReplyTimeout else { return configuration.readTimeout }
        return timers[address, default: ReplyTimer()].timeout(floor: configuration.replyTimeoutFloor, ceiling: configuration.readTimeout)
    }

    /// Sends `request` and returns the inverter's checked reply.
    /// - Parameters:
    ///   - request: the request frame.
    ///   - tries: how often the request is sent before giving up (default:
    ///     ``LinkConfiguration/maxTries``); a cheap probe of a sleeping inverter uses 1. Realigning
    ///     after a fault sends a probe per attempt first; an attempt whose probe failed is no try
    ///     (at most three times `tries` attempts are made). While the inverter stays silent,
    ///     attempts go on until their waits add up to `tries` read timeouts.
    /// - Throws: ``LinkError``: no reply, only bad replies, a refusal (non-zero transmission
    ///   state), or the port being unavailable.
    public func transact(_ request: Request, tries: Int? = nil) throws(LinkError) -> Response {
        let tries = max(1, tries ?? configuration.maxTries)
        if let refusal = unsupported[request] { throw .refused(refusal) }
        let began = ContinuousClock.now
        defer { statistics.busySeconds += began.duration(to: .now).seconds }
        var progress = TransactionProgress(
            firstWait: replyTimeout(for: request.address), ceiling: configuration.readTimeout,
            silenceLimit: configuration.readTimeout * tries)
        var lastProblem = ""
        var badInARow = 0
        var attempt = 0
        // A try is a send of the request: a realignment that failed before it is no try, but
        // such attempts are bounded too.
        var requestTries = 0
        while progress.heard ? requestTries < tries && attempt < tries * 3 : attempt < tries || progress.mayGoOnListening {
            attempt += 1
            let connection = try openConnection()
            let reply: Response
            let clean: Bool
            // On TCP only bad replies to the request itself count towards reopening the port: a
            // new connection may lose the replies to probes, which then stay outstanding.
            var requestSent = false
            do {
                try align(for: request, learn: tries > 1, progress: &progress, on: connection)
                requestSent = true
                requestTries += 1
                (reply, clean) = try exchange(request, wait: progress.wait, heard: &progress.heard, on: connection)
                capture?.judged(clean ? .accepted : .acceptedAfterStray)
            } catch {
                lastProblem = count(error)
                switch error {
                case .silence:
                    progress.waitedInSilence()
                    badInARow = 0
                case .short, .crc:
                    if requestSent || connection.kind == .serial { badInARow += 1 }
                case .unexpected:
                    break
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
                if error.state.isRetryable && requestTries < tries { continue }
                throw .refused(error)
            }
        }
        if !progress.heard {
            throw .noReply(request, tries: tries, timeout: configuration.readTimeout)
        }
        throw .badReply(request, tries: tries, lastProblem: lastProblem)
    }

    /// Teaches the timer of `address` one latency that certainly belongs to its request.
    func record(latency: Duration, for address: UInt8) {
        timers[address, default: ReplyTimer()].record(latency.seconds)
        statistics.replyTimeouts[address] = replyTimeout(for: address)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

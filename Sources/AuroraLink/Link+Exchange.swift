import AuroraProtocol
import Glibc

/// One request on the wire and the bytes that come back (see ``Link``).
extension Link {
    /// Why one attempt failed.
    enum ExchangeFailure: Error {
        case silence
        case short(received: Int)
        case crc(frame: [UInt8])
        /// Valid frames that cannot be the reply (more than one, another item's known answer), or
        /// that do not prove the stream aligned.
        case unexpected(frames: Int)
        case lost(String)
    }

    /// How long to keep listening for more of a reply once bytes stopped forming a valid frame
    /// (stray bytes in front of it, a mangled or cut-off reply): ten byte times at the baud rate,
    /// at least 10 ms for the host's scheduling. Bytes later than that are caught by the next
    /// flush or scan.
    var quietWindow: Duration {
        max(.milliseconds(10), .microseconds(10 * 10 * 1_000_000 / Int64(max(configuration.baudRate, 1))))
    }

    /// One request on a link aligned for its inverter, and its reply: `clean` when nothing else
    /// came with it. The reply is awaited `wait` after the request. `heard` becomes true when any
    /// byte arrives.
    ///
    /// Bytes that form no valid frame (a wrong CRC, a reply cut short, noise in it) came in the
    /// reply's place: when nothing else was awaited, they were its reply, mangled, so the request
    /// is done and the link stays aligned. Otherwise, and after silence or frames that cannot be
    /// the reply, the request stays outstanding: the link is unaligned afterwards.
    func exchange(_ request: Request, wait: Duration, heard: inout Bool, on connection: Connection) throws(ExchangeFailure) -> (reply: Response, clean: Bool) {
        var buffer: [UInt8] = []
        let sent: ContinuousClock.Instant
        let alone: Bool
        do throws(Connection.Failure) {
            sent = try send(request, on: connection)
            alone = tracker.onlyAwaits(request, at: sent)
        } catch {
            if case .lost(let reason) = error { throw .lost(reason) }
            throw .silence
        }
        do throws(Connection.Failure) {
            try connection.read(into: &buffer, upTo: Response.length, deadline: sent + wait)
        } catch {
            switch error {
            case .timedOut(let received): if received == 0 { throw .silence }
            case .lost(let reason): throw .lost(reason)
            }
        }
        heard = true
        // The healthy case: exactly one clean frame.
        if buffer.count == Response.length, let reply = try? Response(frame: buffer), !tracker.isForeign(reply, to: request) {
            let now = ContinuousClock.now
            tracker.answered(request, with: reply, at: now)
            record(latency: now - sent, for: request.address)
            return (reply, true)
        }
        // Anything else: read on while bytes keep coming.
        do throws(Connection.Failure) {
            while true { try connection.read(into: &buffer, upTo: buffer.count + 1, deadline: .now + quietWindow) }
        } catch {
            if case .lost(let reason) = error { throw .lost(reason) }
        }
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
            // The whole reply behind stray bytes: decoded, but the stream is suspect: the request
            // stays outstanding until a probe proves the stream aligned.
            statistics.resynchronisations += 1
            tracker.suspect(request)
            return (reply, false)
        }
        if alone { tracker.answeredInPlace(request, at: .now) }
        if buffer.count < Response.length { throw .short(received: buffer.count) }
        throw .crc(frame: Array(buffer.suffix(Response.length)))
    }

    /// Writes `request`, waits the command delay and records the request as outstanding;
    /// returns when it went out, the instant its reply wait counts from.
    func send(_ request: Request, on connection: Connection) throws(Connection.Failure) -> ContinuousClock.Instant {
        statistics.requests += 1
        try connection.write(request.bytes, deadline: .now + configuration.readTimeout)
        if configuration.commandDelay > .zero { Self.pause(configuration.commandDelay) }
        let sent = ContinuousClock.now
        tracker.sent(request, at: sent)
        return sent
    }

    /// Counts a failed attempt in ``statistics`` and tells the capture what its bytes were;
    /// returns what went wrong, for messages.
    @discardableResult
    func count(_ failure: ExchangeFailure) -> String {
        judge(failure)
        switch failure {
        case .silence:
            statistics.timeouts += 1
            return "no reply"
        case .short(let received):
            statistics.shortReplies += 1
            return "only \(received) of 8 bytes"
        case .crc(let frame):
            statistics.crcErrors += 1
            return "CRC mismatch in \(frame.hexString)"
        case .unexpected:
            return "replies that belong to other requests (late replies?)"
        case .lost(let reason):
            return reason
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

    /// Sleeps the thread for `duration` (the link's own thread: nothing else waits on it).
    static func pause(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

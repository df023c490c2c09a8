import AuroraProtocol

/// Proving the stream aligned before a request goes out (see ``Link``).
extension Link {
    /// Makes sure the next frame on the stream answers the next request to `request.address`. On
    /// a link aligned for it, flushes input (bytes found there are a fault). Otherwise settles
    /// other inverters that may still answer, then sends the inverter one probe if its own
    /// requests are outstanding and reads until it is proven aligned, then learns the identity
    /// answers still unknown (`learn`). Throws what the probe got instead of proof, like a
    /// failed attempt.
    func align(for request: Request, learn: Bool, progress: inout TransactionProgress, on connection: Connection) throws(ExchangeFailure) {
        let address = request.address
        let kind = ProbeKind(request)
        tracker.expire(at: .now)
        if tracker.isAligned(for: address, kind: kind, at: .now) {
            do throws(Connection.Failure) {
                if try connection.discardInput() == 0 { return }
            } catch {
                if case .lost(let reason) = error { throw .lost(reason) }
            }
            tracker.strayInput(at: .now)
        }
        try settleOthers(for: address, kind: kind, on: connection)
        try realign(address, wait: progress.wait, heard: &progress.heard, on: connection)
        capture?.judged(.proof)
        statistics.realignments += 1
        logger.debug("realigned", metadata: ["port": "\(configuration.port)"])
        // The first fault is when knowing more answers starts to pay: learn them now.
        guard learn, !tracker.itemsToLearn(address: address).isEmpty else { return }
        try learnIdentity(of: address, on: connection)
        if !tracker.isAligned(for: address, at: .now) {
            try realign(address, wait: progress.wait, heard: &progress.heard, on: connection)
            capture?.judged(.proof)
        }
    }

    /// Reads the identity items of `address` not known yet while the link is aligned (each at
    /// most three times): their answers are what proves the link realigned after the next fault.
    /// Stops at the first fault; a refused item is never asked again.
    private func learnIdentity(of address: UInt8, on connection: Connection) throws(ExchangeFailure) {
        for kind in tracker.itemsToLearn(address: address) {
            let item = AlignmentTracker.Item(address: address, kind: kind)
            guard learningTries[item, default: 0] < 3 else { continue }
            guard tracker.isAligned(for: address, kind: kind, at: .now) else { return }
            do throws(Connection.Failure) {
                guard try connection.discardInput() == 0 else { return tracker.strayInput(at: .now) }
            } catch {
                if case .lost(let reason) = error { throw .lost(reason) }
            }
            learningTries[item, default: 0] += 1
            let request = kind.request(address: address)
            var heard = false
            do throws(ExchangeFailure) {
                let (reply, _) = try exchange(request, wait: replyTimeout(for: address), heard: &heard, on: connection)
                capture?.judged(.accepted)
                if !kind.isText, !reply.transmissionState.isOK { tracker.refused(request) }
            } catch {
                count(error)
                if case .lost = error { throw error }
                return
            }
        }
    }

    /// Sends `address` one probe if its own requests or stray bytes keep it unaligned, and reads
    /// without flushing, placing or throwing away frames, until the link is aligned for it and
    /// the probe answered.
    /// What already arrived is read first: it may make the probe needless. Gives up after
    /// `wait`, or when only bytes that form no frame came and then stopped for the quiet window.
    /// `heard` becomes true when something that may be the inverter's arrived.
    private func realign(_ address: UInt8, wait: Duration, heard: inout Bool, on connection: Connection) throws(ExchangeFailure) {
        var listening = Listening(target: address)
        do throws(Connection.Failure) {
            try listen(&listening, until: .now, on: connection) { self.tracker.isAligned(for: address, at: .now) }
            if tracker.isAligned(for: address, at: .now) { return }
            var deadline = ContinuousClock.now + wait
            var probeSent: ContinuousClock.Instant?
            if let probe = tracker.nextProbe(for: address) {
                probeSent = try send(probe, on: connection)
                deadline = (probeSent ?? .now) + wait
            }
            // Proven by an earlier probe's answer, the link still waits for this probe's, so
            // that it does not come in the place of the next reply.
            try listen(&listening, until: deadline, endingOnQuiet: true, on: connection) {
                self.tracker.isAligned(for: address, at: .now)
                    && !(probeSent.map { self.tracker.awaitsProbe(of: address, sentSince: $0) } ?? false)
            }
        } catch {
            if case .lost(let reason) = error { throw .lost(reason) }
        }
        if listening.heardTarget { heard = true }
        if tracker.isAligned(for: address, at: .now) { return }
        // Frames placed to other inverters say nothing of this one.
        guard listening.heardTarget || listening.scanner.strayByteCount > 0 || listening.scanner.pendingByteCount > 0 else {
            throw .silence
        }
        heard = true
        if listening.frames > 0 { throw .unexpected(frames: listening.frames) }
        if listening.received < Response.length { throw .short(received: listening.received) }
        throw .crc(frame: listening.lastBytes)
    }

    /// Waits until no other inverter may still answer before a reply of `address` (to identity
    /// item `kind`, if it is one; see ``AlignmentTracker/blockers(for:kind:at:)``). One whose
    /// requests block and that answered lately is sent probes, one at a time, each waiting its
    /// learned timeout (doubling while it is silent), until it has been silent for the read
    /// timeout; the rest are waited out. Frames that come meanwhile are placed or thrown away.
    private func settleOthers(for address: UInt8, kind: ProbeKind?, on connection: Connection) throws(ExchangeFailure) {
        var silences: [UInt8: TransactionProgress] = [:]
        var listening = Listening(target: address)
        func blockingOther() -> AlignmentTracker.Outstanding? {
            tracker.blockers(for: address, kind: kind, at: .now).first { $0.address != address && !$0.isOfUnknownOrigin }
        }
        do throws(Connection.Failure) {
            while let blocker = blockingOther() {
                let other = blocker.address
                let now = ContinuousClock.now
                var silence = silences[other] ?? TransactionProgress(
                    firstWait: replyTimeout(for: other), ceiling: configuration.readTimeout, silenceLimit: configuration.readTimeout)
                if tracker.isBlocking(blocker), tracker.isLive(other, at: now), silence.mayGoOnListening,
                    let probe = tracker.nextProbe(for: other)
                {
                    let deadline = try send(probe, on: connection) + silence.wait
                    listening.heardFrom.remove(other)
                    try listen(&listening, until: deadline, on: connection) { blockingOther()?.address != other }
                    if !listening.heardFrom.contains(other) {
                        statistics.timeouts += 1
                        silence.waitedInSilence()
                    }
                    silences[other] = silence
                } else if let release = tracker.nextRelease(for: address, kind: kind, at: now) {
                    try listen(&listening, until: release, on: connection) { blockingOther()?.address != other }
                }
            }
        } catch {
            if case .lost(let reason) = error { throw .lost(reason) }
        }
    }

    /// What a listen has seen so far.
    struct Listening {
        /// The inverter the listen is for.
        let target: UInt8
        var scanner = ReplyScanner()
        /// Bytes received.
        var received = 0
        /// Valid frames received.
        var frames = 0
        /// The last bytes received, for the message of a bad reply.
        var lastBytes: [UInt8] = []
        /// Inverters a frame was placed to.
        var heardFrom: Set<UInt8> = []
        /// Whether something that may be the target's arrived: a frame placed to it, or bytes no
        /// inverter could be told from.
        var heardTarget = false
    }

    /// Reads what arrives until `deadline` or until `done`, placing every frame with the tracker
    /// (late ones teach the timers) and counting the ones thrown away. With `endingOnQuiet`,
    /// bytes that form no frame end the wait once they stop for the quiet window. Bytes after
    /// the frame that made `done` true are something else talking: a stray-byte mark.
    private func listen(
        _ listening: inout Listening, until deadline: ContinuousClock.Instant, endingOnQuiet: Bool = false,
        on connection: Connection, done: () -> Bool
    ) throws(Connection.Failure) {
        while !done() {
            var chunk: [UInt8] = []
            let quiet = !endingOnQuiet || listening.received == 0 || listening.frames > 0 ? deadline : min(deadline, .now + quietWindow)
            do {
                try connection.read(into: &chunk, upTo: 1, deadline: quiet)
            } catch {
                if case .timedOut = error { return }
                throw error
            }
            listening.received += chunk.count
            listening.lastBytes = Array((listening.lastBytes + chunk).suffix(Response.length))
            listening.scanner.append(chunk)
            while let frame = listening.scanner.nextFrame() {
                listening.frames += 1
                place(frame, listening: &listening)
            }
            if done(), listening.scanner.pendingByteCount > 0 {
                tracker.strayInput(at: .now)
                listening.scanner = ReplyScanner()
            }
        }
    }

    /// Gives one frame received while unaligned to the tracker and keeps the score.
    private func place(_ frame: Response, listening: inout Listening) {
        switch tracker.received(frame, at: .now) {
        case .proof(let address):
            capture?.judged(.proof)
            listening.heardFrom.insert(address)
            if address == listening.target { listening.heardTarget = true }
        case .late(let address, let latency):
            capture?.judged(.unplaced)
            statistics.discardedFrames += 1
            listening.heardFrom.insert(address)
            if address == listening.target { listening.heardTarget = true }
            if let latency { record(latency: latency, for: address) }
        case .unplaced:
            capture?.judged(.unplaced)
            statistics.discardedFrames += 1
            listening.heardTarget = true
        }
    }
}

import AuroraProtocol

/// What a ``Link`` knows about the order of replies on its byte stream: which requests may still
/// be answered, by which inverter, and the known answers that prove a frame is the one it waits
/// for. Pure: no I/O, the caller passes the time.
///
/// Each inverter answers its own requests in order, at most once each; replies of different
/// inverters may overtake each other (one answers late while another answers at once). So a
/// frame known to come from inverter X answers X's first outstanding request that could have
/// sent it, or a later one: every earlier request of X is done either way. A frame comes
/// certainly from X when every outstanding request that could have sent it is X's: a known
/// answer of X that no other inverter's request could give, or any frame while only X has
/// requests outstanding.
///
/// A probe whose answer is known never keeps a reply from being placed: its answer, whenever it
/// comes, is recognised (``isForeign(_:to:)``) and never taken for another reply. It is kept only
/// for what its answer proves. Every other request (a caller's, an identity item whose answer is
/// not known yet) and stray bytes *block*: the link is *aligned for* an inverter when no reply can
/// come before the one it asks for: nothing of that inverter and no stray bytes block, and no
/// other inverter may still answer. An inverter that answered lately may answer up to ``horizon`` late; one that has not
/// answered for that long (asleep, unplugged, never heard) up to ``silenceLimit`` late. Older
/// requests of another inverter are assumed never to be answered *for the others*; they stay
/// outstanding for their own inverter until its answers settle them, since it answers in order.
///
/// Known answers (serial number, part number, version, firmware, manufacturing date) are learned
/// per address from clean replies on an aligned link, and while unaligned from text replies that
/// can only answer one outstanding item (see ``received(_:at:)``).
struct AlignmentTracker: Sendable {
    /// One request that may still be answered.
    struct Outstanding: Sendable, Hashable {
        /// The inverter asked (0 for bytes of unknown origin).
        var address: UInt8
        /// The item asked for, if its answer never changes.
        var kind: ProbeKind?
        /// When it was sent.
        var sent: ContinuousClock.Instant
        /// Whether nothing was outstanding when it was sent: then the next frame of its inverter
        /// is its reply (or it was lost), and that reply's latency is a clean sample.
        var sentOnAlignedLink: Bool

        /// Whether this stands for bytes no request explains.
        var isOfUnknownOrigin: Bool { address == 0 }
    }

    /// One identity item of one inverter.
    struct Item: Sendable, Hashable {
        var address: UInt8
        var kind: ProbeKind
    }

    /// What a frame received while unaligned turned out to be.
    enum Reception: Sendable, Equatable {
        /// The known answer to a probe of `address`: it proves that inverter's earlier requests done.
        case proof(address: UInt8)
        /// The reply to another request of `address` (a late one), placed but not for decoding;
        /// `latency` when that request went out on an aligned link.
        case late(address: UInt8, latency: Duration?)
        /// A frame nothing can be told from: thrown away.
        case unplaced
    }

    /// How late an inverter that answered within it may still answer.
    let horizon: Duration
    /// How late an inverter that has not answered for ``horizon`` may still answer.
    let silenceLimit: Duration

    /// Requests that may still be answered, oldest first.
    private(set) var outstanding: [Outstanding] = []
    /// The identifying bytes of known answers, per address and kind.
    private(set) var known: [UInt8: [ProbeKind: [UInt8]]] = [:]
    /// When each inverter last answered something in order.
    private(set) var lastAnswer: [UInt8: ContinuousClock.Instant] = [:]
    /// Equal text frames received in a row while learning, and their text.
    private var textRun: (text: [UInt8], count: Int)?
    /// Items never used as known answers: another item of the same inverter has the same bytes.
    private var unusable: Set<Item> = []

    /// The most requests of one inverter kept outstanding; older ones are given up on.
    static let outstandingLimit = 64

    /// A tracker; see ``horizon`` and ``silenceLimit``.
    init(horizon: Duration = .seconds(20), silenceLimit: Duration = .seconds(2)) {
        self.horizon = horizon
        self.silenceLimit = silenceLimit
    }

    /// Whether nothing blocks at all: no reply but known answers may still come.
    var isAligned: Bool { !outstanding.contains(where: isBlocking) }

    /// Whether `entry` keeps replies from being placed: all but probes whose answer is known.
    func isBlocking(_ entry: Outstanding) -> Bool {
        guard let kind = entry.kind, !entry.isOfUnknownOrigin else { return true }
        return known[entry.address]?[kind] == nil
    }

    /// Records that `request` went out at `now`.
    mutating func sent(_ request: Request, at now: ContinuousClock.Instant) {
        outstanding.append(Outstanding(address: request.address, kind: ProbeKind(request), sent: now, sentOnAlignedLink: isAligned))
        let own = outstanding.indices.filter { outstanding[$0].address == request.address }
        if own.count > Self.outstandingLimit { outstanding.remove(at: own[0]) }
    }

    /// Bytes arrived that no request explains (found when flushing input on an aligned link):
    /// whatever sent them may send more.
    mutating func strayInput(at now: ContinuousClock.Instant) {
        outstanding.append(Outstanding(address: 0, kind: nil, sent: now, sentOnAlignedLink: false))
    }

    /// The clean reply to `request`, the last one sent, arrived in its place on a link aligned
    /// for its inverter: the request is done, and an identity reply becomes a known answer.
    mutating func answered(_ request: Request, with reply: Response, at now: ContinuousClock.Instant) {
        answeredInPlace(request, at: now)
        guard let kind = ProbeKind(request), kind.isText ? ProbeKind.looksLikeText(reply) : reply.payload[0] == 0 else { return }
        learn(kind.key(of: reply), kind: kind, address: request.address)
    }

    /// Whether bytes that come next can only be the reply to `request`, the last one sent: nothing
    /// else is outstanding that may still be answered, not even a probe whose answer is known
    /// (its answer, mangled, would not be recognised).
    func onlyAwaits(_ request: Request, at now: ContinuousClock.Instant) -> Bool {
        guard let last = outstanding.last, last.address == request.address, last.kind == ProbeKind(request) else { return false }
        return !outstanding.dropLast().contains { entry in
            entry.address == request.address || entry.isOfUnknownOrigin
                || now - entry.sent < (isLive(entry.address, at: now) ? horizon : silenceLimit)
        }
    }

    /// Bytes that form no valid frame came in the place of the reply to `request`, the last one
    /// sent, while it was the only one awaited (``onlyAwaits(_:at:)``): they were its reply,
    /// mangled on the way, so the request is done and the link stays aligned.
    mutating func answeredInPlace(_ request: Request, at now: ContinuousClock.Instant) {
        if let last = outstanding.lastIndex(where: { $0.address == request.address }) { outstanding.remove(at: last) }
        lastAnswer[request.address] = now
    }

    /// The reply to `request`, the last one sent, came behind stray bytes: it was decoded, but the
    /// stream is suspect, so the request stays outstanding until a proof settles it, and its
    /// reply is no clean latency sample.
    mutating func suspect(_ request: Request) {
        if let last = outstanding.lastIndex(where: { $0.address == request.address }) { outstanding[last].sentOnAlignedLink = false }
    }

    /// Whether `reply`, received for `request` on an aligned link, is certainly not its answer:
    /// text where no text is due, the known answer to another item, or another inverter's known
    /// answer to this item that differs from this inverter's. A probe reply is caught this way
    /// whenever it comes. (Two inverters of one model share part number, version and firmware:
    /// while this inverter's answer is unknown, another's equal one is no proof of anything, and
    /// the link is not aligned for the request while another inverter's probe of the item may
    /// still be answered, see ``blockers(for:kind:at:)``.)
    func isForeign(_ reply: Response, to request: Request) -> Bool {
        let own = ProbeKind(request)
        if own?.isText != true, ProbeKind.looksLikeText(reply) { return true }
        let ownKey = own.flatMap { known[request.address]?[$0] }
        return known.contains { address, answers in
            answers.contains { kind, key in
                guard kind.matches(reply, key: key) else { return false }
                if kind != own { return true }
                return address != request.address && ownKey.map { $0 != key } ?? false
            }
        }
    }

    /// Forgets probes and stray-byte marks sent more than ``horizon`` before `now`: a reply
    /// later than that is assumed never to come (if one still does, ``isForeign(_:to:)``
    /// catches it). Requests whose answer is unknown stay until their inverter's answers settle
    /// them.
    mutating func expire(at now: ContinuousClock.Instant) {
        outstanding.removeAll { ($0.kind != nil || $0.isOfUnknownOrigin) && now - $0.sent > horizon }
    }

    /// Whether the inverter at `address` answered within ``horizon`` before `now`.
    func isLive(_ address: UInt8, at now: ContinuousClock.Instant) -> Bool {
        lastAnswer[address].map { now - $0 < horizon } ?? false
    }

    /// The outstanding entries that keep a reply of `address` from being placed at `now`: its
    /// own blocking requests, stray-byte marks, and the blocking requests of other inverters that
    /// may still be answered (see the type's discussion). For a request of identity item `kind`
    /// whose answer is not known, also other inverters' probes of that item that may still be
    /// answered: their answer could be taken for its own.
    func blockers(for address: UInt8, kind: ProbeKind? = nil, at now: ContinuousClock.Instant) -> [Outstanding] {
        let unknownKind = kind.flatMap { known[address]?[$0] == nil ? $0 : nil }
        return outstanding.filter { entry in
            guard entry.address != address, !entry.isOfUnknownOrigin else { return isBlocking(entry) }
            guard isBlocking(entry) || (unknownKind != nil && entry.kind == unknownKind) else { return false }
            return now - entry.sent < (isLive(entry.address, at: now) ? horizon : silenceLimit)
        }
    }

    /// Whether a probe of `address` sent at or after `instant` is still unanswered: its answer
    /// is on its way, and waiting for it keeps it out of the next reply's place.
    func awaitsProbe(of address: UInt8, sentSince instant: ContinuousClock.Instant) -> Bool {
        outstanding.contains { $0.address == address && $0.kind != nil && $0.sent >= instant }
    }

    /// When the first of the other inverters' requests that block `address` at `now` stops
    /// blocking if nothing answers it: at its age limit, or when its inverter stops counting as
    /// live. Nil when no other inverter's request blocks.
    func nextRelease(for address: UInt8, kind: ProbeKind? = nil, at now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        blockers(for: address, kind: kind, at: now).filter { $0.address != address && !$0.isOfUnknownOrigin }.map { entry in
            let asSilent = entry.sent + silenceLimit
            guard isLive(entry.address, at: now), let last = lastAnswer[entry.address] else { return asSilent }
            return min(entry.sent + horizon, max(last + horizon, asSilent))
        }.min()
    }

    /// Whether the next frame is the reply to the next request to `address` (for identity item
    /// `kind`, if it is one).
    func isAligned(for address: UInt8, kind: ProbeKind? = nil, at now: ContinuousClock.Instant) -> Bool {
        blockers(for: address, kind: kind, at: now).isEmpty
    }

    /// The probe to send to `address` while its requests block: a known item, text first (no
    /// other reply looks like text), whose answer no other inverter's outstanding request could
    /// give too (two inverters of one model share all but the serial number: their shared items
    /// take turns). Of those, one with no probe outstanding; else a text item still to learn
    /// that is not outstanding; else a known one with no probe outstanding before this inverter's
    /// last blocking request (an answer settles only the first outstanding probe of its item: an
    /// earlier one that was lost would take the proof); else the known item outstanding longest;
    /// else a text item to learn again. Nil when there is nothing to ask.
    func nextProbe(for address: UInt8) -> Request? {
        let answers = known[address] ?? [:]
        let usable = ProbeKind.allCases.sorted { ($0.isText ? 0 : 1) < ($1.isText ? 0 : 1) }.filter { kind in
            guard let key = answers[kind] else { return false }
            return !outstanding.contains { entry in
                guard entry.address != address, !entry.isOfUnknownOrigin, entry.kind == kind else { return false }
                return known[entry.address]?[kind].map { $0 == key } ?? true
            }
        }
        let lastBlocking = outstanding.lastIndex { $0.address == address && isBlocking($0) }
        func probes(of kind: ProbeKind) -> [Int] {
            outstanding.indices.filter { outstanding[$0].address == address && outstanding[$0].kind == kind }
        }
        func isClear(_ kind: ProbeKind) -> Bool {
            guard let lastBlocking else { return true }
            return probes(of: kind).allSatisfy { $0 > lastBlocking }
        }
        let learnable = [ProbeKind.serialNumber, .partNumber]
            .filter { answers[$0] == nil && !unusable.contains(Item(address: address, kind: $0)) }
        let oldest = usable.compactMap { kind in probes(of: kind).last.map { (kind: kind, index: $0) } }.min { $0.index < $1.index }?.kind
        let choice = usable.first { probes(of: $0).isEmpty } ?? learnable.first { probes(of: $0).isEmpty }
            ?? usable.first(where: isClear) ?? oldest ?? learnable.first
        return choice.map { $0.request(address: address) }
    }

    /// The identity items of `address` still to learn on an aligned link.
    func itemsToLearn(address: UInt8) -> [ProbeKind] {
        ProbeKind.allCases.filter { known[address]?[$0] == nil && !unusable.contains(Item(address: address, kind: $0)) }
    }

    /// The inverter refused an identity item: it is never used as a known answer.
    mutating func refused(_ request: Request) {
        guard let kind = ProbeKind(request) else { return }
        unusable.insert(Item(address: request.address, kind: kind))
    }

    /// A valid frame arrived while unaligned, at `now`.
    ///
    /// A known answer is taken to come from a probe that has it (no other reply is ever equal to
    /// one, which ``isForeign(_:to:)`` relies on too): if such probes are of one inverter only,
    /// and no other inverter's identity request with an unknown answer could have sent it, it
    /// settles that inverter's requests up to the first of them. Any other frame settles them
    /// up to the first that could have sent it, if every request that could is of one inverter.
    /// A text frame that is no known answer may teach one (see ``learnFromText(_:at:)``).
    mutating func received(_ frame: Response, at now: ContinuousClock.Instant) -> Reception {
        let isKnownAnswer = known.values.contains { answers in answers.contains { $0.key.matches(frame, key: $0.value) } }
        if !isKnownAnswer, ProbeKind.looksLikeText(frame) {
            return learnFromText(frame, at: now) ?? .unplaced
        }
        let sources = outstanding.indices.filter { index in
            let entry = outstanding[index]
            guard !entry.isOfUnknownOrigin, couldSend(frame, answering: entry) else { return false }
            return !isKnownAnswer || entry.kind != nil
        }
        let proving = isKnownAnswer ? sources.filter { !isBlocking(outstanding[$0]) } : sources
        guard let first = proving.first, sources.allSatisfy({ outstanding[$0].address == outstanding[first].address }) else {
            return .unplaced
        }
        let entry = outstanding[first]
        let isFirstOfItsInverter = !outstanding[..<first].contains { $0.address == entry.address && isBlocking($0) }
        settle(through: first, at: now)
        if isKnownAnswer { return .proof(address: entry.address) }
        let latency = isFirstOfItsInverter && entry.sentOnAlignedLink ? now - entry.sent : nil
        return .late(address: entry.address, latency: latency)
    }

    // MARK: - Private

    /// Whether `frame` can be the reply to `entry`: its known answer, or any reply of its kind
    /// (text for 52 and 63, never text otherwise) when the answer is not known.
    private func couldSend(_ frame: Response, answering entry: Outstanding) -> Bool {
        guard let kind = entry.kind else { return !ProbeKind.looksLikeText(frame) }
        if let key = known[entry.address]?[kind] { return kind.matches(frame, key: key) }
        return kind.isText == ProbeKind.looksLikeText(frame)
    }

    /// Removes the requests of the inverter of `outstanding[index]` up to and including it, and
    /// the stray-byte marks before it: its inverter answers in order.
    private mutating func settle(through index: Int, at now: ContinuousClock.Instant) {
        let entry = outstanding[index]
        let settled = outstanding[...index].indices.filter {
            outstanding[$0].address == entry.address || outstanding[$0].isOfUnknownOrigin
        }
        for position in settled.reversed() { outstanding.remove(at: position) }
        lastAnswer[entry.address] = now
        textRun = nil
    }

    /// Learning while unaligned: a text frame that is no known answer can only answer an
    /// outstanding text request (52, 63) whose answer is unknown. The item asked for last is the
    /// one being learned; each of the `k` outstanding requests for other such items sends at most
    /// one frame, so `k + 1` equal text frames in a row include one answer to it: that text is
    /// its answer (and every frame of the run answered it). Not while bytes of unknown origin
    /// are outstanding. Nil when the frame taught nothing.
    private mutating func learnFromText(_ frame: Response, at now: ContinuousClock.Instant) -> Reception? {
        guard !outstanding.contains(where: \.isOfUnknownOrigin) else { return nil }
        let unknownText = outstanding.compactMap { entry -> Item? in
            guard let kind = entry.kind, kind.isText, known[entry.address]?[kind] == nil else { return nil }
            return Item(address: entry.address, kind: kind)
        }
        guard let target = unknownText.last else { return nil }
        let others = unknownText.count { $0 != target }
        let run = (textRun?.text == frame.payload ? textRun?.count ?? 0 : 0) + 1
        textRun = (frame.payload, run)
        guard run > others else { return nil }
        learn(frame.payload, kind: target.kind, address: target.address)
        for _ in 0..<run {
            guard let index = outstanding.firstIndex(where: { $0.address == target.address && $0.kind == target.kind }) else { break }
            settle(through: index, at: now)
        }
        return .proof(address: target.address)
    }

    /// Records a known answer unless another kind of the same inverter has the same bytes: then
    /// neither would prove anything, and both are given up for good.
    private mutating func learn(_ key: [UInt8], kind: ProbeKind, address: UInt8) {
        guard !unusable.contains(Item(address: address, kind: kind)) else { return }
        var answers = known[address] ?? [:]
        if let clash = answers.first(where: { $0.key != kind && $0.value == key })?.key {
            answers[clash] = nil
            unusable.formUnion([Item(address: address, kind: kind), Item(address: address, kind: clash)])
        } else {
            answers[kind] = key
        }
        known[address] = answers.isEmpty ? nil : answers
    }
}

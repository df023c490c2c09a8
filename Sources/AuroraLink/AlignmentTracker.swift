import AuroraProtocol

/// What a ``Link`` knows about the order of replies on its byte stream: which requests may still
/// be answered, and the known answers that prove a reply is the one it waits for. Pure: no I/O,
/// the caller passes the time.
///
/// The stream delivers in order (a half-duplex bus, a serial line, TCP), and an inverter sends at
/// most one reply per request. So once the reply to a request arrives, every earlier request has
/// been answered or never will be. The link is *aligned* when nothing may still be answered:
/// the next frame is then the reply to the next request.
///
/// A request stays outstanding until its reply is proven. A clean reply on an aligned link
/// proves itself. Otherwise only a known answer proves anything: a frame equal to the known
/// answer of outstanding probes resolves everything up to and including the first of them (it is
/// the reply to that one, or that one's reply was lost). A probe kind is therefore not reused
/// while it is outstanding, if another kind is free.
///
/// Known answers (serial number, part number, version, firmware, manufacturing date) are learned
/// per address from clean replies on an aligned link, and while unaligned from text replies that
/// can only answer one outstanding item (see ``received(_:)``).
struct AlignmentTracker: Sendable {
    /// One request that may still be answered.
    struct Outstanding: Sendable, Hashable {
        /// The inverter asked (0 for bytes of unknown origin).
        var address: UInt8
        /// The item asked for, if its answer never changes.
        var kind: ProbeKind?
        /// When it was sent.
        var sent: ContinuousClock.Instant

        /// Whether this stands for bytes no request explains.
        var isOfUnknownOrigin: Bool { address == 0 }
    }

    /// One identity item of one inverter.
    struct Item: Sendable, Hashable {
        var address: UInt8
        var kind: ProbeKind
    }

    /// Requests that may still be answered, oldest first.
    private(set) var outstanding: [Outstanding] = []
    /// The identifying bytes of known answers, per address and kind.
    private(set) var known: [UInt8: [ProbeKind: [UInt8]]] = [:]
    /// Equal text frames received in a row while learning, and their text.
    private var textRun: (text: [UInt8], count: Int)?
    /// Items never used as known answers: another item of the same inverter has the same bytes.
    private var unusable: Set<Item> = []

    /// Whether nothing may still be answered: the next frame is the reply to the next request.
    var isAligned: Bool { outstanding.isEmpty }

    /// Records that `request` went out at `now`.
    mutating func sent(_ request: Request, at now: ContinuousClock.Instant) {
        outstanding.append(Outstanding(address: request.address, kind: ProbeKind(request), sent: now))
    }

    /// Bytes arrived that no request explains (found when flushing input on an aligned link):
    /// whatever sent them may send more.
    mutating func strayInput(at now: ContinuousClock.Instant) {
        outstanding.append(Outstanding(address: 0, kind: nil, sent: now))
    }

    /// The clean reply to `request`, the only outstanding one, arrived: the link is aligned, and
    /// an identity reply becomes a known answer.
    mutating func answered(_ request: Request, with reply: Response) {
        outstanding.removeAll(keepingCapacity: true)
        guard let kind = ProbeKind(request), kind.isText ? ProbeKind.looksLikeText(reply) : reply.payload[0] == 0 else { return }
        learn(kind.key(of: reply), kind: kind, address: request.address)
    }

    /// Whether `reply`, received for `request` on an aligned link, is certainly not its answer:
    /// it is the known answer to another item, or text where no text is due. A late probe
    /// reply is caught this way even if the probe was given up on.
    func isForeign(_ reply: Response, to request: Request) -> Bool {
        let own = ProbeKind(request)
        if own?.isText != true, ProbeKind.looksLikeText(reply) { return true }
        return known.values.contains { answers in
            answers.contains { $0.key != own && $0.key.matches(reply, key: $0.value) }
        }
    }

    /// Forgets outstanding probes (and stray-byte marks) from before `cutoff`: a reply later
    /// than that is assumed never to come (if one still does, ``isForeign(_:to:)`` catches it).
    /// Requests whose answer is unknown stay until a probe resolves them.
    mutating func expire(before cutoff: ContinuousClock.Instant) {
        outstanding.removeAll { ($0.kind != nil || $0.isOfUnknownOrigin) && $0.sent < cutoff }
    }

    /// The probe to send next while unaligned: a known item that is not outstanding (of
    /// `address` first), else a text item of `address` still to learn (outstanding or not: the
    /// learning rule copes with repeats). Nil when every known item is outstanding and nothing is
    /// left to learn: a reply to a reused kind could be the old one's, so the link only listens.
    func nextProbe(preferring address: UInt8) -> Request? {
        let knownItems = known.sorted { ($0.key == address ? 0 : 1, $0.key) < ($1.key == address ? 0 : 1, $1.key) }
            .flatMap { entry in ProbeKind.allCases.filter { entry.value[$0] != nil }.map { Item(address: entry.key, kind: $0) } }
        func isOutstanding(_ item: Item) -> Bool {
            outstanding.contains { $0.address == item.address && $0.kind == item.kind }
        }
        let learnable = [ProbeKind.serialNumber, .partNumber].map { Item(address: address, kind: $0) }
            .filter { known[address]?[$0.kind] == nil && !unusable.contains($0) }
        let choice = knownItems.first { !isOutstanding($0) } ?? learnable.first { !isOutstanding($0) } ?? learnable.first
        return choice.map { $0.kind.request(address: $0.address) }
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

    /// A valid frame arrived while unaligned. If it is the known answer of outstanding probes,
    /// everything up to the first of them is resolved. Returns whether it was recognised.
    @discardableResult
    mutating func received(_ reply: Response) -> Bool {
        if resolve(with: reply) {
                return true
        }
        guard ProbeKind.looksLikeText(reply) else { return false }
        return learnFromText(reply)
    }

    // MARK: - Private

    private mutating func resolve(with reply: Response) -> Bool {
        let first = outstanding.firstIndex { entry in
            guard let kind = entry.kind, let key = known[entry.address]?[kind] else { return false }
            return kind.matches(reply, key: key)
        }
        guard let first else { return false }
        outstanding.removeFirst(first + 1)
        textRun = nil
        return true
    }

    /// Learning while unaligned: a text frame that is no known answer can only answer an
    /// outstanding text request (52, 63) whose answer is unknown. The item asked for last is the
    /// one being learned; each of the `k` outstanding requests for other such items sends at most
    /// one frame, so `k + 1` equal text frames in a row include one answer to it: that text is
    /// its answer (and every frame of the run answered it). Not while bytes of unknown origin
    /// are outstanding.
    private mutating func learnFromText(_ reply: Response) -> Bool {
        guard !outstanding.contains(where: \.isOfUnknownOrigin) else { return false }
        let unknownText = outstanding.compactMap { entry -> Item? in
            guard let kind = entry.kind, kind.isText, known[entry.address]?[kind] == nil else { return nil }
            return Item(address: entry.address, kind: kind)
        }
        guard let target = unknownText.last else { return false }
        let others = unknownText.count { $0 != target }
        let run = (textRun?.text == reply.payload ? textRun?.count ?? 0 : 0) + 1
        textRun = (reply.payload, run)
        guard run > others else { return false }
        learn(reply.payload, kind: target.kind, address: target.address)
        textRun = nil
        for _ in 0..<run { _ = resolve(with: reply) }
        return true
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

/// The replies a serving thread has yet to write, each due at its own instant.
///
/// An inverter answers its own requests in order, one after another: the reply to a request is
/// due its delay (``Transmission/delay``) after the request arrived or after the previous reply
/// of the same address was due, whichever is later. So a late reply holds back the later replies
/// of its address, while the replies of other addresses are due on their own. The address is the
/// request's first byte, whatever channel the request came on: one inverter answers one request
/// at a time, even to clients on different TCP connections.
struct ReplySchedule {
    /// One reply waiting to be written.
    struct Entry {
        /// When the reply is to be written.
        let due: ContinuousClock.Instant
        /// The descriptor of the channel the request came on, where the reply goes back.
        let channel: Int32
        /// The 10-byte request frame it answers.
        let requestFrame: [UInt8]
        /// The bytes to write.
        let bytes: [UInt8]
    }

    /// The waiting replies by due instant; replies due at the same instant in the order their
    /// requests arrived.
    private var entries: [Entry] = []
    /// When the last reply scheduled for each address is due.
    private var busyUntil: [UInt8: ContinuousClock.Instant] = [:]

    /// When the first waiting reply is due, or nil if none is waiting.
    var nextDue: ContinuousClock.Instant? { entries.first?.due }

    /// Schedules `transmission`, the answer to `requestFrame`, which arrived at `arrival` on the
    /// channel with descriptor `channel`.
    mutating func add(
        _ transmission: Transmission, answering requestFrame: [UInt8], on channel: Int32,
        arrivedAt arrival: ContinuousClock.Instant
    ) {
        let address = requestFrame[0]
        let due = max(arrival, busyUntil[address] ?? arrival) + transmission.delay
        busyUntil[address] = due
        let index = entries.lastIndex { $0.due <= due }.map { $0 + 1 } ?? 0
        entries.insert(Entry(due: due, channel: channel, requestFrame: requestFrame, bytes: transmission.bytes), at: index)
    }

    /// Takes out the first waiting reply if it is due at `now`.
    mutating func removeFirstDue(at now: ContinuousClock.Instant) -> Entry? {
        guard let first = entries.first, first.due <= now else { return nil }
        return entries.removeFirst()
    }

    /// Forgets the replies waiting for `channel` (it closed). Their inverters stay busy as
    /// scheduled: a reply nobody receives still took its time on the bus.
    mutating func removeReplies(on channel: Int32) {
        entries.removeAll { $0.channel == channel }
    }
}

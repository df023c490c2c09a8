/// Writes the inverters' counter guards to the store in the background, so that the poller
/// never waits long for the database.
///
/// The poller hands each poll's guard over before the packet goes out and waits for the write
/// up to a short patience: normally the write takes milliseconds and is done before the packet
/// is published (a crash right after never replays its `energy`). While the database is locked
/// or failing, the poller goes on after the patience and the write completes later; only the
/// newest guard of each inverter waits, so nothing piles up. Writes are never cancelled with a
/// poll.
actor CounterStateWriter {
    /// How the write went.
    enum Outcome: Sendable {
        /// Everything handed over so far is stored.
        case stored
        /// The last write failed with this error (it is tried again with the next guard).
        case failed(String)
    }

    private let store: any CounterStateStore
    /// Guards waiting to be written, by serial number (the newest replaces an older one).
    private var queued: [String: CounterGuard] = [:]
    private var draining = false
    /// Callers waiting for the writes in progress, by ticket.
    private var waiters: [Int: CheckedContinuation<Outcome?, Never>] = [:]
    private var nextTicket = 0

    /// A writer to `store`.
    init(store: any CounterStateStore) {
        self.store = store
    }

    /// Queues `counterGuard` for `serialNumber` and waits until it is written, or at most
    /// `patience`.
    /// - Returns: How the write went, or nil if it is still going on after `patience`.
    func save(_ counterGuard: CounterGuard, serialNumber: String, patience: Duration) async -> Outcome? {
        queued[serialNumber] = counterGuard
        if !draining {
            draining = true
            Task { await self.writeQueued() }
        }
        let ticket = nextTicket
        nextTicket += 1
        return await withCheckedContinuation { continuation in
            waiters[ticket] = continuation
            Task {
                try? await Task.sleep(for: patience)
                self.giveUp(ticket)
            }
        }
    }

    private func giveUp(_ ticket: Int) {
        waiters.removeValue(forKey: ticket)?.resume(returning: nil)
    }

    /// Writes until nothing is queued, then tells every waiter how it went.
    private func writeQueued() async {
        var outcome = Outcome.stored
        while let (serialNumber, counterGuard) = queued.first {
            queued[serialNumber] = nil
            do {
                try await store.saveCounterGuard(counterGuard, serialNumber: serialNumber)
                outcome = .stored
            } catch {
                outcome = .failed("\(error)")
            }
        }
        draining = false
        for waiter in waiters.values { waiter.resume(returning: outcome) }
        waiters = [:]
    }
}

/// How one transaction of a ``Link`` is going: how long its next try waits, how long its tries
/// have waited in silence, and whether the inverter answered anything at all.
struct TransactionProgress: Sendable, Hashable {
    /// How long the next try waits for a reply.
    private(set) var wait: Duration
    /// The longest wait.
    let ceiling: Duration
    /// The silence after which the inverter counts as not answering.
    let silenceLimit: Duration
    /// The waits that ended with nothing received, added up.
    private(set) var silence: Duration = .zero
    /// Whether any byte that may be the inverter's arrived during the transaction.
    var heard = false

    /// The progress of a transaction whose first try waits `firstWait`, each silent one doubling
    /// the next up to `ceiling`, until the silent waits add up to `silenceLimit`.
    init(firstWait: Duration, ceiling: Duration, silenceLimit: Duration) {
        self.wait = min(firstWait, ceiling)
        self.ceiling = ceiling
        self.silenceLimit = silenceLimit
    }

    /// A try waited ``wait`` and nothing came: the next one waits twice as long, up to the ceiling.
    mutating func waitedInSilence() {
        silence += wait
        wait = min(wait * 2, ceiling)
    }

    /// Whether another try is due even after the configured tries: nothing came so far, and the
    /// silent waits add up to less than the silence limit. A dropped reply or two never make an
    /// answering inverter look silent.
    var mayGoOnListening: Bool { !heard && silence < silenceLimit }
}

/// How a ``Link`` talks on its bus: where, how fast, how patiently.
public struct LinkConfiguration: Sendable, Hashable {
    /// The serial device or TCP endpoint.
    public var port: PortAddress
    /// Serial line speed (ignored for TCP). Aurora inverters use 19200.
    public var baudRate: Int
    /// How long to wait for a complete 8-byte reply after sending a request: the ceiling of the
    /// learned reply timeout (see ``learnsReplyTimeout``), and the silence after which an
    /// inverter counts as not answering.
    public var readTimeout: Duration
    /// An optional pause between writing a request and reading the reply, for slow adapters.
    /// Zero (the default) reads as soon as bytes arrive.
    public var commandDelay: Duration
    /// How many times a request is sent before the transaction fails.
    public var maxTries: Int
    /// The first wait before reopening a port that vanished or failed to open; it doubles on
    /// every failed reopen up to ``reopenBackoffMax``.
    public var reopenBackoffMin: Duration
    /// The longest wait between attempts to reopen a vanished port.
    public var reopenBackoffMax: Duration
    /// How late a reply may still come; nil (the default): ten read timeouts. An unanswered
    /// probe older than this is forgotten, so a bus that stayed silent for a night realigns with
    /// one probe (a probe reply later than this is still recognised and thrown away), and an
    /// unanswered request to one inverter holds up the others at most this long (see ``Link``).
    public var lateReplyHorizon: Duration?

    /// Whether each inverter's reply timeout is learned from its replies (the default), below
    /// ``readTimeout``; false waits the whole read timeout on every try.
    public var learnsReplyTimeout: Bool

    /// ``lateReplyHorizon``, or ten read timeouts.
    var effectiveLateReplyHorizon: Duration { lateReplyHorizon ?? readTimeout * 10 }

    /// The shortest learned reply timeout: the wire time of a request and its reply (18 bytes of
    /// 10 bits) at ``baudRate``, the command delay, and 25 ms for the host's scheduling and a USB
    /// adapter's latency timer (16 ms on FTDI chips by default).
    var replyTimeoutFloor: Duration {
        .microseconds(180 * 1_000_000 / Int64(max(baudRate, 1))) + commandDelay + .milliseconds(25)
    }

    /// A configuration with the Aurora defaults: 19200 baud, 2 s read timeout, 3 tries, a
    /// learned reply timeout.
    public init(
        port: PortAddress,
        baudRate: Int = 19200,
        readTimeout: Duration = .seconds(2),
        commandDelay: Duration = .zero,
        maxTries: Int = 3,
        reopenBackoffMin: Duration = .milliseconds(500),
        reopenBackoffMax: Duration = .seconds(30),
        lateReplyHorizon: Duration? = nil,
        learnsReplyTimeout: Bool = true
    ) {
        self.port = port
        self.baudRate = baudRate
        self.readTimeout = readTimeout
        self.commandDelay = commandDelay
        self.maxTries = max(1, maxTries)
        self.reopenBackoffMin = reopenBackoffMin
        self.reopenBackoffMax = reopenBackoffMax
        self.lateReplyHorizon = lateReplyHorizon
        self.learnsReplyTimeout = learnsReplyTimeout
    }
}

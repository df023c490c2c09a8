/// Faults the simulator injects into its replies, drawn from a seeded generator so that a test
/// sees the same faults on every run.
///
/// For every reply the simulator would send, it decides in this order: drop it (``dropRate``),
/// else corrupt its CRC (``crcErrorRate``), else write garbage (``garbageRate``): half of the
/// garbage cases put 1–3 stray bytes before the reply, the other half send only its first 1–7
/// bytes. Every reply that goes out waits ``delay``, moved by up to ±``delayJitter`` (uniformly,
/// never below zero: a slow RS485-to-Ethernet gateway), plus the wire time at ``baud``; a share
/// (``lateRate``) of the replies that go out unharmed is held ``lateDelay`` longer.
///
/// The servers answer each address in order, one request after another, as an inverter does: a
/// held reply holds back the later replies of its address (requests arriving meanwhile are read
/// at once and answered, in order, after it), while the other addresses go on answering when
/// their replies are due.
///
/// Before those transport faults, a reply can also carry a wrong value with a valid CRC, as real
/// firmware sometimes does: an energy counter that reads 0 (``glitchRate``), a measure that
/// reads NaN (``nanMeasure``).
public struct FaultSettings: Sendable, Hashable {
    /// The share of energy-counter replies (command 78) that read 0, with a valid CRC, 0…1.
    public var glitchRate: Double = 0
    /// A measure (command 59 type) that always reads NaN, with a valid CRC; nil for none.
    public var nanMeasure: UInt8?
    /// The share of replies sent with a wrong CRC, 0…1.
    public var crcErrorRate: Double
    /// The share of replies never sent, 0…1.
    public var dropRate: Double
    /// The share of replies preceded by stray bytes or cut short, 0…1.
    public var garbageRate: Double
    /// Extra time before each reply: the mean reply latency.
    public var delay: Duration
    /// How far each reply's ``delay`` is moved, at most, either way: a uniform draw from
    /// −`delayJitter` to +`delayJitter` per reply, the result never below zero. Zero (the
    /// default) draws nothing, so the faults of a seed stay as they were.
    public var delayJitter: Duration
    /// If set, each reply is also delayed by the wire time of request and reply at this baud rate
    /// (180 bits: 18 bytes of 10 bits in 8N1).
    public var baud: Int?
    /// The seed of the fault generator: the same seed and the same requests give the same faults.
    public var seed: UInt64
    /// The share of otherwise unharmed replies sent ``lateDelay`` late, 0…1.
    public var lateRate: Double
    /// How much later than its usual delay a late reply goes out.
    public var lateDelay: Duration

    /// No faults, no delay.
    public static let none = FaultSettings()

    /// Fault settings; rates are probabilities from 0 to 1.
    public init(
        crcErrorRate: Double = 0, dropRate: Double = 0, garbageRate: Double = 0,
        delay: Duration = .zero, delayJitter: Duration = .zero, baud: Int? = nil, seed: UInt64 = 1,
        lateRate: Double = 0, lateDelay: Duration = .zero
    ) {
        self.crcErrorRate = crcErrorRate
        self.dropRate = dropRate
        self.garbageRate = garbageRate
        self.delay = delay
        self.delayJitter = delayJitter
        self.baud = baud
        self.seed = seed
        self.lateRate = lateRate
        self.lateDelay = lateDelay
    }

    /// How long each reply waits before it is written, without jitter: ``delay`` plus the wire
    /// time at ``baud``.
    public var replyDelay: Duration { delay + wireTime }

    /// The wire time of request and reply at ``baud``, or zero without a baud rate.
    private var wireTime: Duration {
        guard let baud else { return .zero }
        return .microseconds(180 * 1_000_000 / Int64(baud))
    }

    /// The delay of one reply: ``delay`` moved by a uniform draw from `generator` within
    /// ±``delayJitter`` (never below zero), plus the wire time at ``baud``. Draws only when
    /// ``delayJitter`` is not zero.
    func replyDelay(drawingJitterFrom generator: inout SeededGenerator) -> Duration {
        guard delayJitter > .zero else { return replyDelay }
        return max(.zero, delay + delayJitter * (2 * generator.unit() - 1)) + wireTime
    }

    /// Checks the rates, the delays, the jitter and the baud rate.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` naming the setting to fix.
    public func validate() throws(SimulatorError) {
        for (name, rate) in [
            ("CRC error", crcErrorRate), ("drop", dropRate), ("garbage", garbageRate), ("late", lateRate), ("glitch", glitchRate),
        ]
        where !(0...1).contains(rate) {
            throw .invalidSetting("the \(name) rate must be between 0 and 1, not \(rate)")
        }
        guard delay >= .zero else { throw .invalidSetting("the reply delay must not be negative") }
        guard delayJitter >= .zero else { throw .invalidSetting("the reply delay jitter must not be negative") }
        guard lateDelay >= .zero else { throw .invalidSetting("the late-reply delay must not be negative") }
        if let baud, baud <= 0 { throw .invalidSetting("the baud rate must be positive, not \(baud)") }
    }
}

/// An energy counter's last good value and the inverter time it was read at.
public struct CounterMark: Sendable, Hashable, Codable {
    /// The counter, in Wh.
    public var value: Int64
    /// The inverter's clock (Unix seconds) when it was read, or, when that read failed, the
    /// time of an earlier good reading (a lower bound); nil if none was ever known.
    public var time: Int64?

    /// A mark from its parts.
    public init(value: Int64, time: Int64?) {
        self.value = value
        self.time = time
    }

    /// The mark after a good reading of `value` at `time`, which keeps the earlier time when
    /// `time` is unknown.
    func advanced(to value: Int64, at time: Int64?) -> CounterMark {
        CounterMark(value: value, time: time ?? self.time)
    }
}

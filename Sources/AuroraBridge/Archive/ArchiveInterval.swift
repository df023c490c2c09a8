/// The length of an archive interval, and how timestamps map onto intervals.
///
/// Intervals are aligned to wall-clock multiples of the length in Unix time, as in WeeWX: with
/// 300 s, intervals end at …:00, …:05, …:10. An interval is named by its **end** and is
/// half-open at the start: the interval ending at `end` holds the timestamps `t` with
/// `end − length < t ≤ end`. So a packet stamped exactly on a boundary belongs to the interval
/// that *ends* there, and the record of an interval carries its end as `dateTime`.
public struct ArchiveInterval: Sendable, Hashable, CustomStringConvertible {
    /// The length in seconds (≥ 1).
    public let seconds: Int64

    /// An interval length.
    /// - Parameter seconds: Whole seconds, at least 1.
    /// - Throws: ``ArchiveError/invalidInterval(_:)`` if `seconds` is less than 1.
    public init(seconds: Int64) throws(ArchiveError) {
        guard seconds >= 1 else { throw .invalidInterval(seconds) }
        self.seconds = seconds
    }

    /// The end of the interval holding the timestamp `t`: the smallest multiple of
    /// ``seconds`` that is ≥ `t` (so `end(containing: 600) == 600` with 300 s intervals).
    /// - Parameter t: Unix seconds; may be negative.
    public func end(containing t: Int64) -> Int64 {
        let remainder = ((t % seconds) + seconds) % seconds
        return remainder == 0 ? t : t - remainder + seconds
    }

    /// The length as text, e.g. `300 s`.
    public var description: String { "\(seconds) s" }
}

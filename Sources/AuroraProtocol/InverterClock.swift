#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Converts between Unix time and the inverter clock: seconds since 2000-01-01 00:00:00 in the
/// inverter's local wall-clock time, with no zone on the wire.
///
/// The conversion uses the real UTC offset of `timeZone` at the instant concerned, so it stays
/// right across daylight-saving changes (unlike a fixed offset).
public struct InverterClock: Sendable, Hashable {
    /// Unix time of 2000-01-01 00:00:00 UTC.
    public static let epoch2000: Int64 = 946_684_800

    /// The zone the inverter's clock is set to (normally the host's).
    public var timeZone: TimeZone

    /// A clock in `timeZone` (default: the host's current zone).
    public init(timeZone: TimeZone = .current) { self.timeZone = timeZone }

    /// The inverter reading for the Unix time `unix`.
    public func inverterSeconds(fromUnix unix: Int64) -> UInt32 {
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unix))))
        return UInt32(clamping: unix + offset - Self.epoch2000)
    }

    /// The Unix time of the inverter reading `seconds`.
    ///
    /// A wall-clock time that occurs twice (the hour after DST ends) resolves to its first
    /// occurrence; one that does not occur (the hour skipped when DST starts) is read with the
    /// offset in force just before the change.
    public func unixTime(fromInverter seconds: UInt32) -> Int64 {
        let local = Int64(seconds) + Self.epoch2000
        var unix = local - offset(at: local)
        for _ in 0..<2 {
            let corrected = local - offset(at: unix)
            if corrected == unix { break }
            unix = corrected
        }
        // Prefer the earlier of two instants that show the same wall-clock time.
        let earlier = unix - 3600
        if earlier + offset(at: earlier) == local { return earlier }
        return unix
    }

    private func offset(at unix: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unix))))
    }
}

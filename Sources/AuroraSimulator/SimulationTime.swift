#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AuroraProtocol

/// Reads the start time of a simulation as people write it.
public enum SimulationTime {
    /// The Unix time that `text` denotes.
    ///
    /// Accepted forms: Unix seconds (`1782019800`, `1782019800.5`); ISO 8601 local date and time
    /// in `timeZone` (`2026-06-21T05:30:00`, `2026-06-21 05:30`, seconds optional); ISO 8601 with
    /// an explicit zone (`2026-06-21T05:30:00Z`, `2026-06-21T05:30:00+02:00`).
    ///
    /// A local time that the clocks skip when daylight-saving time starts is read with the offset
    /// in force before the change; one that occurs twice resolves to its first occurrence.
    /// - Throws: ``SimulatorError/invalidTime(_:)`` if `text` is in none of these forms, or a
    ///   local time lies outside 2000–2135.
    public static func parse(_ text: String, timeZone: TimeZone) throws(SimulatorError) -> Double {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if let unix = Double(trimmed), unix.isFinite, trimmed.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
            return unix
        }
        let pattern = #/(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?/#
        guard let match = trimmed.wholeMatch(of: pattern),
              let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
              let hour = Int(match.4), let minute = Int(match.5),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60
        else { throw .invalidTime(text) }
        let second = match.6.flatMap { Int($0) } ?? 0
        guard second < 60 else { throw .invalidTime(text) }
        let wall = CivilDate(year: year, month: month, dayOfMonth: day).day * 86_400 + hour * 3600 + minute * 60 + second
        guard let zone = match.7 else {
            let inverterSeconds = Int64(wall) - InverterClock.epoch2000
            guard let seconds = UInt32(exactly: inverterSeconds) else { throw .invalidTime(text) }
            return Double(InverterClock(timeZone: timeZone).unixTime(fromInverter: seconds))
        }
        return Double(wall - offsetSeconds(String(zone)))
    }

    /// `Z`, `+HH:MM` or `-HHMM` as seconds east of UTC.
    private static func offsetSeconds(_ zone: String) -> Int {
        guard zone != "Z" else { return 0 }
        let digits = zone.dropFirst().filter(\.isNumber)
        let hours = Int(digits.prefix(2)) ?? 0
        let minutes = Int(digits.suffix(2)) ?? 0
        let magnitude = hours * 3600 + minutes * 60
        return zone.hasPrefix("-") ? -magnitude : magnitude
    }
}

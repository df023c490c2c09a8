import Foundation
import AuroraProtocol

/// How the status page writes values, in the served HTML; the page's script writes them the same
/// way after each refresh (``StatusPage/script``), so the two must change together.
enum StatusText {
    /// What the page shows for a value that is not known.
    static let unknown = "—"

    /// A reading or count as its exact text (a float's shortest round-trip text, as on MQTT) with
    /// its unit: `494.79935 W`.
    static func value(_ value: FieldValue?, unit: String = "") -> String {
        value.map { $0.description + unit } ?? unknown
    }

    /// A span of seconds, coarsely: `42 s`, `17 min`, `3 h 5 min`, `2 d 4 h`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int64(max(seconds, 0).rounded(.down))
        switch whole {
        case ..<60: return "\(whole) s"
        case ..<3600: return "\(whole / 60) min"
        case ..<86_400: return "\(whole / 3600) h \(whole % 3600 / 60) min"
        default: return "\(whole / 86_400) d \(whole % 86_400 / 3600) h"
        }
    }

    /// A Unix time as local date and time: `2026-06-21 14:03:07`.
    static func stamp(_ time: Double, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: time.rounded(.down)))
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// A share as a percentage to a tenth: `12.3 %`.
    static func percent(_ share: FieldValue?) -> String {
        share.map { String(format: "%.1f %%", $0.double * 100) } ?? unknown
    }
}

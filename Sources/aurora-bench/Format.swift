import Foundation

/// Number formatting for the report: fixed decimals with a unit.
enum Format {
    /// Seconds shown in milliseconds, e.g. `milliseconds(0.30112)` → "301.12 ms".
    static func milliseconds(_ seconds: Double, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f ms", seconds * 1000)
    }

    /// A plain number with `decimals` decimals and an optional unit.
    static func number(_ value: Double, decimals: Int = 2, unit: String = "") -> String {
        String(format: "%.\(decimals)f", value) + (unit.isEmpty ? "" : " " + unit)
    }

    /// A ratio such as "1.039×".
    static func ratio(_ value: Double, decimals: Int = 3) -> String {
        String(format: "%.\(decimals)f×", value)
    }

    /// Bytes in MB (10⁶ bytes), e.g. "18.4 MB".
    static func megabytes(_ bytes: Double, decimals: Int = 1) -> String {
        String(format: "%.\(decimals)f MB", bytes / 1e6)
    }

    /// Kibibytes (as /proc reports them) in MB (10⁶ bytes).
    static func megabytes(kibibytes: Int, decimals: Int = 1) -> String {
        megabytes(Double(kibibytes) * 1024, decimals: decimals)
    }
}

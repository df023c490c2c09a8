/// The manufacturing week and year (command 65).
public struct ManufactureDate: Sendable, Hashable, CustomStringConvertible {
    /// The week of the year, 1–53, if the digits were readable.
    public let week: Int?
    /// The four-digit year (20YY), if the digits were readable.
    public let year: Int?
    /// The four raw characters.
    public let raw: String

    /// Decodes a checked reply to command 65: week and two-digit year as ASCII digits.
    public init(reply: Response) {
        raw = reply.dataText
        let digits = Array(raw)
        week = digits.count >= 2 ? Int(String(digits[0..<2])) : nil
        year = digits.count >= 4 ? Int(String(digits[2..<4])).map { 2000 + $0 } : nil
    }

    public var description: String {
        guard let week, let year else { return "unknown (\(raw))" }
        return "week \(week) of \(year)"
    }
}

/// The firmware release (command 72), e.g. `C.0.1.6`.
public struct FirmwareRelease: Sendable, Hashable, CustomStringConvertible {
    /// The four raw characters, e.g. `C016`.
    public let raw: String

    /// Decodes a checked reply to command 72.
    public init(reply: Response) { raw = reply.dataText }

    /// The release with dots between its characters, e.g. `C.0.1.6`.
    public var description: String { raw.map(String.init).joined(separator: ".") }
}

/// The last four alarms (command 86), oldest first.
public struct AlarmHistory: Sendable, Hashable {
    /// The four alarm codes in data bytes 2–5, oldest first (code 0 means an empty slot).
    public let alarms: [Alarm]

    /// Decodes a checked reply to command 86.
    public init(reply: Response) { alarms = reply.payload[2...5].map(Alarm.init(code:)) }
}

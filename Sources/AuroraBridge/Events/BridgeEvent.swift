import AuroraProtocol

/// One event of an inverter or of the bridge: when, whose, what, and its details (alarm code and
/// text, the states before and after, an outage's length …), stored in the archive database and
/// published as JSON on `{prefix}/{inverter}/event` or `{prefix}/bridge/event`.
public struct BridgeEvent: Sendable, Hashable {
    /// One detail's value.
    public enum Value: Sendable, Hashable {
        case integer(Int64)
        case number(Double)
        case text(String)
        case flag(Bool)
    }

    /// The name events of the bridge itself carry instead of an inverter's.
    public static let bridgeSource = "bridge"

    /// When it happened: Unix seconds on the wall clock.
    public var dateTime: Int64
    /// The inverter's configured name, or ``bridgeSource``.
    public var source: String
    /// What happened.
    public var type: EventType
    /// The details, in the order they are published.
    public var details: [(key: String, value: Value)]

    /// An event of `source` at `dateTime`.
    public init(dateTime: Int64, source: String, type: EventType, details: [(key: String, value: Value)] = []) {
        self.dateTime = dateTime
        self.source = source
        self.type = type
        self.details = details
    }

    /// The value of detail `key`, if it has one.
    public subscript(key: String) -> Value? {
        details.first { $0.key == key }?.value
    }

    /// The published payload: `event_type` (the key Home Assistant's event entities read), then
    /// `dateTime`, `source` and the details.
    public var json: JSONObject {
        var json = JSONObject()
        json.add("event_type", type.rawValue)
        json.add("dateTime", dateTime)
        json.add("source", source)
        for (key, value) in details {
            switch value {
            case .integer(let number): json.add(key, number)
            case .number(let number): json.add(key, FieldValue.double(number))
            case .text(let text): json.add(key, text)
            case .flag(let flag): json.add(key, flag)
            }
        }
        return json
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.dateTime == rhs.dateTime && lhs.source == rhs.source && lhs.type == rhs.type
            && lhs.details.map(\.key) == rhs.details.map(\.key) && lhs.details.map(\.value) == rhs.details.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dateTime)
        hasher.combine(source)
        hasher.combine(type)
        for (key, value) in details {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}

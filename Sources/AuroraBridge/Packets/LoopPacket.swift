import AuroraProtocol

/// What one poll of one inverter produced: a timestamp and every field's value.
public struct LoopPacket: Sendable, Hashable {
    /// The inverter's configured name.
    public var inverter: String
    /// When the poll started, in Unix seconds.
    public var dateTime: Int64
    /// The fields in publishing order (loop field name → value).
    public var fields: [LoopField]

    /// A packet from its parts.
    public init(inverter: String, dateTime: Int64, fields: [LoopField]) {
        self.inverter = inverter
        self.dateTime = dateTime
        self.fields = fields
    }

    /// The value of the field `name`, if the packet has it.
    public subscript(name: String) -> FieldValue? {
        fields.first { $0.name == name }?.value
    }
}

/// One named value of a loop packet.
public struct LoopField: Sendable, Hashable {
    /// The loop field name, e.g. `gridPower` (after any renaming from `bridge.conf`).
    public var name: String
    /// The value.
    public var value: FieldValue

    /// A field from its parts.
    public init(name: String, value: FieldValue) {
        self.name = name
        self.value = value
    }
}

/// One inverter's open archive interval: the running statistics of the packets seen so far.
///
/// It is created by the interval's first packet, so it is never empty. It is `Codable` so that
/// the daemon can save it on shutdown and give it back to ``Archiver/restore(_:)`` after a restart.
public struct IntervalAccumulator: Sendable, Hashable, Codable {
    /// The inverter's configured name.
    public let inverter: String
    /// The interval's end in Unix seconds; it holds the timestamps in (`end − interval`, `end`].
    public let end: Int64
    /// The interval length in seconds.
    public let interval: Int64
    /// How many packets were added (≥ 1).
    public private(set) var count: Int
    private var fields: [FieldAccumulator]

    /// Opens the interval that holds `packet` and adds the packet to it.
    /// - Parameters:
    ///   - packet: The first packet of the interval.
    ///   - interval: The archive interval length.
    public init(first packet: LoopPacket, interval: ArchiveInterval) {
        inverter = packet.inverter
        end = interval.end(containing: packet.dateTime)
        self.interval = interval.seconds
        count = 1
        fields = packet.fields.map { FieldAccumulator(name: $0.name, value: $0.value, at: packet.dateTime) }
    }

    /// Whether the timestamp `dateTime` falls in this interval.
    public func contains(_ dateTime: Int64) -> Bool {
        dateTime > end - interval && dateTime <= end
    }

    /// Adds a packet of the same inverter stamped within the interval.
    /// - Returns: `false`, adding nothing, if the packet is another inverter's or stamped
    ///   outside the interval.
    @discardableResult
    public mutating func add(_ packet: LoopPacket) -> Bool {
        guard packet.inverter == inverter, contains(packet.dateTime) else { return false }
        count += 1
        for field in packet.fields {
            if let index = fields.firstIndex(where: { $0.name == field.name }) {
                fields[index].add(field.value, at: packet.dateTime)
            } else {
                fields.append(FieldAccumulator(name: field.name, value: field.value, at: packet.dateTime))
            }
        }
        return true
    }

    /// The interval's record, each field's primary value chosen by ``Extractor/primary(for:overrides:)``.
    /// - Parameter overrides: Extractors chosen by the user, by canonical field name.
    public func record(overrides: [String: Extractor] = [:]) -> ArchiveRecord {
        ArchiveRecord(
            inverter: inverter, dateTime: end, interval: interval, count: count,
            fields: fields.map { $0.summary(extractor: Extractor.primary(for: $0.name, overrides: overrides)) })
    }

    private enum CodingKeys: String, CodingKey {
        case inverter, end, interval, count, fields
    }

    /// Reads a saved interval, checking that it is one the archive could have produced.
    /// - Throws: `DecodingError.dataCorrupted` if the interval is empty, its length is below
    ///   1 s or its end is not a multiple of its length.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inverter = try container.decode(String.self, forKey: .inverter)
        end = try container.decode(Int64.self, forKey: .end)
        interval = try container.decode(Int64.self, forKey: .interval)
        count = try container.decode(Int.self, forKey: .count)
        fields = try container.decode([FieldAccumulator].self, forKey: .fields)
        guard interval >= 1, end % interval == 0, count >= 1 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "saved interval of \(inverter) (end \(end), length \(interval) s, "
                        + "\(count) packets) is not a valid open interval"))
        }
    }

    /// Writes the interval with every value in its exact typed form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inverter, forKey: .inverter)
        try container.encode(end, forKey: .end)
        try container.encode(interval, forKey: .interval)
        try container.encode(count, forKey: .count)
        try container.encode(fields, forKey: .fields)
    }
}

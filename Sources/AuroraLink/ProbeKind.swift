import AuroraProtocol

/// An identity item whose reply never changes: what a ``Link`` asks for when it must prove the
/// byte stream is aligned, since it knows the answer before it arrives.
enum ProbeKind: CaseIterable, Sendable, Hashable {
    case serialNumber, partNumber, version, firmware, manufacturingDate

    /// The kind `request` asks for, or nil if its answer changes (measures, counters, clock …).
    init?(_ request: Request) {
        guard request.parameters.allSatisfy({ $0 == 0 }) else { return nil }
        switch request.command {
        case .serialNumber: self = .serialNumber
        case .partNumber: self = .partNumber
        case .version: self = .version
        case .firmware: self = .firmware
        case .manufacturingDate: self = .manufacturingDate
        default: return nil
        }
    }

    /// The request for this item to the inverter at `address`.
    func request(address: UInt8) -> Request {
        let command: Command = switch self {
        case .serialNumber: .serialNumber
        case .partNumber: .partNumber
        case .version: .version
        case .firmware: .firmware
        case .manufacturingDate: .manufacturingDate
        }
        return Request(address: address, command: command)
    }

    /// Whether the reply is six bytes of text (52, 63) rather than state bytes and four data bytes.
    var isText: Bool { self == .serialNumber || self == .partNumber }

    /// The part of `reply` that identifies the item: all six bytes of a text reply; the
    /// transmission state and the four data bytes otherwise (the global state changes).
    func key(of reply: Response) -> [UInt8] {
        isText ? reply.payload : [reply.payload[0]] + reply.payload[2...5]
    }

    /// Whether `reply` carries the identifying bytes `key` (as made by ``key(of:)``), compared
    /// without copying.
    func matches(_ reply: Response, key: [UInt8]) -> Bool {
        let payload = reply.payload
        if isText { return payload == key }
        return key.count == 5 && payload[0] == key[0] && payload[2] == key[1] && payload[3] == key[2]
            && payload[4] == key[3] && payload[5] == key[4]
    }

    /// Whether `reply` could be the text reply of command 52 or 63: six printable ASCII bytes.
    /// Every other reply starts with a transmission state and carries a global state or zero
    /// data bytes, which are not printable.
    static func looksLikeText(_ reply: Response) -> Bool {
        reply.payload.allSatisfy { (0x20...0x7E).contains($0) }
    }
}

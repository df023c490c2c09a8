/// A request frame from the host to one inverter: address, command, six parameter bytes, CRC.
public struct Request: Sendable, Hashable, CustomStringConvertible {
    /// The length of every request frame on the wire.
    public static let length = 10

    /// The inverter's bus address (1–63).
    public var address: UInt8
    /// The command.
    public var command: Command
    /// Parameter bytes 2–7 of the frame (always six; unused ones are zero).
    public var parameters: [UInt8]

    /// A request for `command` to `address` with up to six parameter bytes (the rest are zero).
    public init(address: UInt8, command: Command, parameters: [UInt8] = []) {
        precondition(parameters.count <= 6, "a request carries at most six parameter bytes")
        self.address = address
        self.command = command
        self.parameters = parameters + [UInt8](repeating: 0, count: 6 - parameters.count)
    }

    /// Decodes a request frame (what an inverter, or the simulator, receives).
    /// - Throws: ``FrameError`` if the frame is short, its CRC is wrong or its command unknown.
    public init(frame: [UInt8]) throws(FrameError) {
        guard frame.count == Self.length else {
            throw .wrongLength(expected: Self.length, received: frame.count)
        }
        guard CRC16.isValid(frame: frame) else { throw .crcMismatch(frame: frame) }
        guard let command = Command(rawValue: frame[1]) else { throw .unknownCommand(frame[1]) }
        self.init(address: frame[0], command: command, parameters: Array(frame[2..<8]))
    }

    /// The ten bytes to send: address, command, parameters and the CRC, low byte first.
    public var bytes: [UInt8] {
        CRC16.appending(to: [address, command.rawValue] + parameters)
    }

    public var description: String {
        "\(command) to address \(address)"
    }
}

extension Request {
    /// Command 50: the state request.
    public static func state(address: UInt8) -> Request {
        Request(address: address, command: .state)
    }

    /// Command 59: one DSP measure, for this module (`global == false`) or the whole system.
    public static func measure(_ type: MeasureType, global: Bool = false, address: UInt8) -> Request {
        Request(address: address, command: .measure, parameters: [type.rawValue, global ? 1 : 0])
    }

    /// Command 78: one cumulated energy counter.
    public static func energy(_ period: EnergyPeriod, address: UInt8) -> Request {
        Request(address: address, command: .cumulatedEnergy, parameters: [period.rawValue])
    }

    /// Command 71: set the inverter clock to `inverterSeconds` (seconds since 2000-01-01, local).
    public static func setTime(inverterSeconds: UInt32, address: UInt8) -> Request {
        Request(address: address, command: .setTime, parameters: inverterSeconds.bigEndianBytes)
    }
}

extension UInt32 {
    /// The four bytes of the value, most significant first.
    var bigEndianBytes: [UInt8] {
        [UInt8(self >> 24), UInt8((self >> 16) & 0xFF), UInt8((self >> 8) & 0xFF), UInt8(self & 0xFF)]
    }
}

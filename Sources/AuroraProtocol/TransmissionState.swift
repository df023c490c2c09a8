/// Byte 0 of a reply: whether the inverter could execute the request.
public struct TransmissionState: Sendable, Hashable, CustomStringConvertible {
    /// The raw code.
    public let code: UInt8

    /// Wraps a raw code.
    public init(code: UInt8) { self.code = code }

    /// 0: everything OK.
    public var isOK: Bool { code == 0 }

    /// 51 (command not implemented) or 52 (variable does not exist): this model lacks the item,
    /// and asking again will not help.
    public var isNotSupported: Bool { code == 51 || code == 52 }

    /// 58: the variable is not available now; a later request may succeed.
    public var isRetryable: Bool { code == 58 }

    public var description: String {
        let text: String = switch code {
        case 0: "everything OK"
        case 51: "command not implemented"
        case 52: "variable does not exist"
        case 53: "variable value out of range"
        case 54: "EEPROM not accessible"
        case 55: "service mode not toggled"
        case 56: "cannot send the command to the internal micro"
        case 57: "command not executed"
        case 58: "variable not available, retry"
        default: "unknown (\(code))"
        }
        return "\(text) (\(code))"
    }
}

/// A reply whose transmission state was not 0: its data bytes must not be used.
public struct TransmissionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The command that was refused.
    public let command: Command
    /// The transmission state the inverter answered with.
    public let state: TransmissionState

    /// The inverter refused `command` with `state`.
    public init(command: Command, state: TransmissionState) {
        self.command = command
        self.state = state
    }

    /// Whether the model does not support the item (codes 51 and 52): stop asking for it.
    public var isNotSupported: Bool { state.isNotSupported }

    public var description: String {
        "the inverter refused \(command): \(state)"
    }
}

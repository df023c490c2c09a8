import AuroraProtocol

/// Why a transaction on the bus failed. Each message says what to check.
public enum LinkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The port text is not a device path or `tcp://host:port`.
    case invalidPort(String, reason: String)
    /// The baud rate is not one a serial port supports.
    case unsupportedBaudRate(Int)
    /// Another process holds the serial port.
    case portInUse(String)
    /// The port could not be opened (missing device, permissions, connection refused …).
    case cannotOpen(String, reason: String)
    /// The device vanished or the port is closed and waiting to be reopened.
    case deviceUnavailable(String, reason: String)
    /// No reply at all, after every try.
    case noReply(Request, tries: Int, timeout: Duration)
    /// Replies arrived but none was a valid frame (bad CRC, too short, garbage), after every try.
    case badReply(Request, tries: Int, lastProblem: String)
    /// The inverter answered with a non-zero transmission state.
    case refused(TransmissionError)

    /// Whether the inverter said it does not have this item (transmission state 51 or 52).
    public var isNotSupported: Bool {
        if case .refused(let error) = self { return error.isNotSupported }
        return false
    }

    public var description: String {
        switch self {
        case .invalidPort(_, let reason):
            "invalid port: \(reason)"
        case .unsupportedBaudRate(let rate):
            "unsupported baud rate \(rate); use one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200"
        case .portInUse(let port):
            "port \(port) is in use by another process (another aurora-bridge, a WeeWX driver?); stop it or use another port"
        case .cannotOpen(let port, let reason):
            "cannot open \(port): \(reason); check the device path (prefer /dev/serial/by-id/…) and that the user may use it (group dialout)"
        case .deviceUnavailable(let port, let reason):
            "port \(port) is unavailable (\(reason)); it is reopened automatically when it returns"
        case .noReply(let request, let tries, let timeout):
            "no reply from the inverter at address \(request.address) to \(request.command) after \(tries) tries of \(timeout.secondsText) each; check the address, the wiring, and whether it is dark (inverters sleep at night)"
        case .badReply(let request, let tries, let problem):
            "no valid reply from the inverter at address \(request.address) to \(request.command) after \(tries) tries (last: \(problem)); check the wiring, termination and that no other device talks on the bus"
        case .refused(let error):
            error.description
        }
    }
}

extension Duration {
    /// The duration as seconds for messages, e.g. `2 s` or `0.5 s`.
    var secondsText: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0 { return "\(seconds) s" }
        return "\(Double(seconds) + Double(attoseconds) / 1e18) s"
    }
}

import AuroraLink
import AuroraProtocol

/// What a poller reports, in the order it learns it.
public enum PollerEvent: Sendable {
    /// A full poll succeeded.
    case packet(LoopPacket)
    /// The inverter's availability changed (also reported once at start).
    case availability(inverter: String, Availability)
    /// The decoded states changed (also reported once when first read).
    case status(inverter: String, InverterStatus)
    /// The inverter's identity, read at start and whenever it wakes.
    case identity(inverter: String, InverterIdentity)
    /// A poll finished: whether it succeeded and how long it took (seconds).
    case pollFinished(inverter: String, succeeded: Bool, duration: Double)
    /// Readings the inverter answered but the packet just reported leaves out (non-finite
    /// measures, implausible counters); reported after that packet, only when there are some.
    case leftOut(inverter: String, [LeftOutReading])
    /// The inverter's last four alarms (command 86) as read after a full poll, oldest first (0:
    /// an empty slot), with its serial number once its identity was read.
    case lastAlarms(inverter: String, serialNumber: String?, [UInt8])
    /// The inverter's clock was set to the host's: by a command or by the daily sync, and the
    /// error it had, in seconds (positive: it was ahead).
    case clockCorrected(inverter: String, by: ClockCorrection, seconds: Int)
}

extension PollerEvent {
    /// The name of the inverter (or the plant) the event is about.
    public var inverter: String {
        switch self {
        case .packet(let packet): packet.inverter
        case .availability(let inverter, _), .status(let inverter, _), .identity(let inverter, _),
            .pollFinished(let inverter, _, _), .leftOut(let inverter, _), .lastAlarms(let inverter, _, _),
            .clockCorrected(let inverter, _, _):
            inverter
        }
    }
}

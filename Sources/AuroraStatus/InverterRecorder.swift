import AuroraBridge
import AuroraLink
import AuroraProtocol

/// Remembers what the poller last reported of each inverter and of the plant, for the status
/// page and the metrics: the observer the status add-on hands the bridge. It only keeps values.
final class InverterRecorder: PollerSink {
    /// What is known of one inverter (or the plant).
    struct Record: Sendable {
        /// Its availability; nil until the poller reported one.
        var availability: Availability?
        /// Its last loop packet, every field as read (before `[fields]` leaves any out).
        var packet: LoopPacket?
        /// Its last decoded states.
        var status: InverterStatus?
        /// Its identity, read at start and on every wake.
        var identity: InverterIdentity?
    }

    private let records = Locked<[String: Record]>([:])

    /// What is known, by inverter name.
    var snapshot: [String: Record] { records.value }

    func handle(_ event: PollerEvent) async {
        switch event {
        case .packet(let packet):
            records.withLock { $0[packet.inverter, default: Record()].packet = packet }
        case .availability(let inverter, let availability):
            records.withLock { $0[inverter, default: Record()].availability = availability }
        case .status(let inverter, let status):
            records.withLock { $0[inverter, default: Record()].status = status }
        case .identity(let inverter, let identity):
            records.withLock { $0[inverter, default: Record()].identity = identity }
        case .pollFinished, .leftOut, .lastAlarms, .clockCorrected:
            break
        }
    }
}

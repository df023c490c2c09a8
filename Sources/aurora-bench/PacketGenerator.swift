import AuroraBridge
import AuroraLink
import AuroraProtocol
import AuroraSimulator

/// Loop packets as the bridge's poller makes them, but without any I/O: the readings of a
/// simulated always-awake 3.6 kW inverter (the simulator's model of a PV day, in UTC) turned
/// into fields the way ``Poller`` does (measures, energy counters, clock, derived `energy`).
struct PacketGenerator {
    /// The inverter name the packets carry.
    let inverter: String
    private let model: InverterModel
    private let clock: InverterClock
    private var counters = CounterGuard()
    private let calendar = CounterCalendar(timeZone: .gmt)

    /// A generator for packets of `inverter`, with counters starting at `origin` (Unix seconds).
    init(inverter: String, origin: Double) {
        self.inverter = inverter
        model = InverterModel(address: 2, timeZone: .gmt, alwaysAwake: true, energyOrigin: origin)
        clock = InverterClock(timeZone: .gmt)
    }

    /// The packet a poll starting at `time` would produce.
    mutating func packet(at time: Int64) -> LoopPacket {
        guard let reading = model.snapshot(at: Double(time)) else {
            preconditionFailure("an always-awake model always answers")
        }
        var snapshot = InverterSnapshot(address: reading.address)
        snapshot.measures = reading.measures
        snapshot.energy = reading.energy
        snapshot.inverterTime = clock.unixTime(fromInverter: reading.inverterSeconds)
        return LoopPacket(inverter: inverter, dateTime: time, fields: counters.fields(from: snapshot, calendar: calendar).fields)
    }
}

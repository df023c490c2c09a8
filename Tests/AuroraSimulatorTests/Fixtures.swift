import AuroraProtocol
import AuroraSimulator
import Foundation

/// Instants of the test calendar (UTC unless stated) and model factories.
enum Fixtures {
    static let utc = TimeZone.gmt
    /// 2026-06-21 00:00:00 UTC, a Sunday.
    static let sunday: Double = 1_782_000_000
    /// 2026-06-22 00:00:00 UTC, a Monday.
    static let monday: Double = 1_782_086_400
    /// 2026-07-01 00:00:00 UTC.
    static let firstOfJuly: Double = 1_782_864_000
    /// 2027-01-01 00:00:00 UTC.
    static let newYear2027: Double = 1_798_761_600
    static let hour = 3600.0
    static let day = 86_400.0

    /// The default 3.6 kW model at `address`, in UTC, its counters starting at Sunday midnight.
    static func model(address: UInt8 = 2, alwaysAwake: Bool = false) -> InverterModel {
        InverterModel(address: address, timeZone: utc, alwaysAwake: alwaysAwake, energyOrigin: sunday)
    }

    /// A simulator with the default models at `addresses`, standing at `time`.
    static func simulator(
        addresses: [UInt8] = [2], at time: Double = sunday + 13 * hour, faults: FaultSettings = .none
    ) throws -> (Simulator, ManualClock) {
        let clock = ManualClock(time)
        let simulator = try Simulator(inverters: addresses.map { model(address: $0) }, clock: clock, faults: faults)
        return (simulator, clock)
    }
}

extension Array where Element == UInt8 {
    /// Bytes 2–5 of a reply as a big-endian float.
    var replyFloat: Float { Float(bitPattern: self[2...5].reduce(0) { ($0 << 8) | UInt32($1) }) }
    /// Bytes 2–5 of a reply as a big-endian integer.
    var replyUInt32: UInt32 { self[2...5].reduce(0) { ($0 << 8) | UInt32($1) } }
}

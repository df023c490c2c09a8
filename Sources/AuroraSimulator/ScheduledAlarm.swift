import AuroraProtocol

/// An alarm a simulated inverter raises at a set simulated time and clears after a while, or
/// never.
///
/// The alarm is in force from ``raisedAt`` up to, but not including, ``clearsAt``. Meanwhile the
/// inverter feeds in nothing and reports ``status``; see ``InverterModel/alarms`` for overlaps and
/// command 86.
public struct ScheduledAlarm: Sendable, Hashable {
    /// The alarm code (1–255; the state tables name 1–64): byte 5 of command 50, and the entry
    /// that command 86 shifts in.
    public var code: UInt8
    /// The simulated Unix time at which the inverter raises the alarm.
    public var raisedAt: Double
    /// How long the alarm lasts, in seconds, or nil when it stays until the simulation ends.
    public var duration: Double?

    /// Alarm `code` raised at the Unix time `raisedAt`, cleared `duration` seconds later (nil: never).
    public init(code: UInt8, raisedAt: Double, duration: Double? = nil) {
        self.code = code
        self.raisedAt = raisedAt
        self.duration = duration
    }

    /// The Unix time at which the alarm clears, or nil when it never does.
    public var clearsAt: Double? { duration.map { raisedAt + $0 } }

    /// Whether the alarm is in force at `unix`: raised, and not yet cleared.
    public func isActive(at unix: Double) -> Bool {
        raisedAt <= unix && (clearsAt.map { unix < $0 } ?? true)
    }

    /// The state reply (command 50) of an inverter while this alarm is in force: see
    /// ``status(forAlarm:)``.
    public var status: InverterStatus { Self.status(forAlarm: code) }

    /// The state reply (command 50) of an inverter held by alarm `code`.
    ///
    /// | Alarms | Global state | Inverter state |
    /// |---|---|---|
    /// | Grid fail 13, Grid UV/OF/UF 33–35, Z grid high 36, Grid df/dt 62 | 2 Checking grid | 46 Grid fail |
    /// | Grid OV 32 | 2 Checking grid | 10 Grid OV |
    /// | Sun low 1, 5 | 1 Wait sun / grid | 0 Stand by |
    /// | Ground fault 18, 23; Riso low 38 | 9 Ground fault | 0 Stand by |
    /// | Over temperature 19 | 10 OTH fault | 0 Stand by |
    /// | Comm. error 8 | 33 Internal comm. fault | 11 Communication error |
    /// | UTH 48, Interlock fail 49, Remote off 50, Fan stuck 56, DC switch open 57, TRAS switch open 58, Auto-exclusion 61 | the global state of that name: 24, 26, 25, 32, 35, 36, 38 | 0 Stand by |
    /// | any other | 8 Pause | the inverter state of the alarm's name where there is one (Input OC 2 → 47, Bulk OV 7 → 3, Output OC 9 → 4, IGBT sat 10 → 5, Bulk UV 11 and 60 → 6, Degauss error 24 → 7, No parameters 6 → 8, Bulk low 14 → 9, Bulk cap fail 20 → 14, DC/DC fail 16 and 26 → 16, Ileak sensor fail 25 → 17, DC injection error 31 → 26, Input UC 54 → 41, Zero power 55 → 42), else 0 Stand by |
    ///
    /// Both DC/DC channels are off (0), and the alarm byte is `code`.
    public static func status(forAlarm code: UInt8) -> InverterStatus {
        let dcdc = DCDCState(code: 0)
        return InverterStatus(
            global: GlobalState(code: globalStates[code] ?? 8), inverter: InverterState(code: inverterStates[code] ?? 0),
            dcdc1: dcdc, dcdc2: dcdc, alarm: Alarm(code: code)
        )
    }

    /// Checks the code, the time and the duration.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` naming what to fix.
    public func validate() throws(SimulatorError) {
        guard code != 0 else { throw .invalidSetting("an alarm code must be 1–255: 0 means no alarm") }
        guard raisedAt.isFinite else { throw .invalidSetting("alarm \(code) needs a finite time to be raised at") }
        if let duration, !(duration.isFinite && duration >= 0) {
            throw .invalidSetting("alarm \(code) must last a finite, non-negative number of seconds, not \(duration)")
        }
    }

    private static let gridAlarms: [UInt8] = [13, 32, 33, 34, 35, 36, 62]

    /// Alarm code → global state; absent: 8 Pause.
    private static let globalStates: [UInt8: UInt8] = Dictionary(uniqueKeysWithValues: gridAlarms.map { ($0, 2) })
        .merging([
            1: 1, 5: 1, 18: 9, 23: 9, 38: 9, 19: 10, 8: 33,
            48: 24, 49: 26, 50: 25, 56: 32, 57: 35, 58: 36, 61: 38,
        ]) { _, named in named }

    /// Alarm code → inverter state; absent: 0 Stand by.
    private static let inverterStates: [UInt8: UInt8] = Dictionary(uniqueKeysWithValues: gridAlarms.map { ($0, 46) })
        .merging([
            32: 10, 8: 11, 2: 47, 7: 3, 9: 4, 10: 5, 11: 6, 60: 6, 24: 7, 6: 8, 14: 9, 20: 14,
            16: 16, 26: 16, 25: 17, 31: 26, 54: 41, 55: 42,
        ]) { _, named in named }
}

/// The decoded state reply (command 50): every state byte the inverter reports.
public struct InverterStatus: Sendable, Hashable {
    /// The global state (byte 1).
    public var global: GlobalState
    /// The inverter stage's state (byte 2).
    public var inverter: InverterState
    /// DC/DC channel 1's state (byte 3).
    public var dcdc1: DCDCState
    /// DC/DC channel 2's state (byte 4).
    public var dcdc2: DCDCState
    /// The current alarm (byte 5).
    public var alarm: Alarm

    /// A status from its parts.
    public init(global: GlobalState, inverter: InverterState, dcdc1: DCDCState, dcdc2: DCDCState, alarm: Alarm) {
        self.global = global
        self.inverter = inverter
        self.dcdc1 = dcdc1
        self.dcdc2 = dcdc2
        self.alarm = alarm
    }

    /// Decodes a checked reply to command 50.
    public init(reply: Response) {
        let p = reply.payload
        self.init(
            global: GlobalState(code: p[1]), inverter: InverterState(code: p[2]),
            dcdc1: DCDCState(code: p[3]), dcdc2: DCDCState(code: p[4]), alarm: Alarm(code: p[5])
        )
    }

    /// The reply an inverter in this status sends to command 50.
    public var reply: Response {
        Response(globalState: global.code, data: [inverter.code, dcdc1.code, dcdc2.code, alarm.code])
    }
}

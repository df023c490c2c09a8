import AuroraProtocol

/// Everything one simulated inverter reports at one instant: what a test expects the bridge to
/// read and publish.
public struct ModelSnapshot: Sendable, Hashable {
    /// The inverter's bus address.
    public let address: UInt8
    /// The simulated Unix time of the snapshot.
    public let time: Double
    /// What the inverter is doing.
    public let phase: InverterPhase
    /// The state reply (command 50).
    public let status: InverterStatus
    /// Every supported measure (command 59) exactly as it goes on the wire.
    public let measures: [MeasureType: Float]
    /// Every energy counter (command 78) in Wh.
    public let energy: [EnergyPeriod: UInt32]
    /// The inverter clock (command 70): seconds since 2000-01-01 local.
    public let inverterSeconds: UInt32
    /// The last four alarms (command 86), oldest first.
    public let lastAlarms: [UInt8]
}

import AuroraProtocol

/// An inverter that answered a ``BusScanner`` sweep: where it is, who it is, and its state.
public struct FoundInverter: Sendable, Hashable {
    /// Its bus address (1–63).
    public var address: UInt8
    /// Part number, serial number, version (model), firmware and manufacture date.
    public var identity: InverterIdentity
    /// Its states when it was read.
    public var status: InverterStatus

    /// An inverter found at `address`.
    public init(address: UInt8, identity: InverterIdentity, status: InverterStatus) {
        self.address = address
        self.identity = identity
        self.status = status
    }
}

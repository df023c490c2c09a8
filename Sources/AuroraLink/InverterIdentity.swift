import AuroraProtocol

/// Who an inverter is: part number, serial number, version, firmware, manufacture date.
public struct InverterIdentity: Sendable, Hashable {
    /// Part number (command 52), e.g. `-3G79-`.
    public var partNumber: String
    /// Serial number (command 63).
    public var serialNumber: String
    /// Model, grid standard, transformer and kind (command 58).
    public var version: VersionInfo
    /// Firmware release (command 72).
    public var firmware: FirmwareRelease
    /// Manufacturing week and year (command 65).
    public var manufactureDate: ManufactureDate
}

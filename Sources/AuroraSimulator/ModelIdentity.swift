/// What a simulated inverter says about itself: part number, serial number, version, firmware,
/// manufacturing date and its last alarms.
public struct ModelIdentity: Sendable, Hashable {
    /// Command 52: six ASCII characters (default `-3G79-`).
    public var partNumber: String
    /// Command 63: six ASCII characters.
    public var serialNumber: String
    /// Command 58: model, grid standard, transformer, kind (default `OENN`: PVI-3.6-OUTD,
    /// VDE0126, transformerless, photovoltaic).
    public var version: String
    /// Command 72: four ASCII characters (default `C016`).
    public var firmware: String
    /// Command 65: week and two-digit year as four ASCII digits (default `4612`).
    public var manufactureDate: String
    /// Command 86: the last four alarm codes, oldest first (default Input UV, Sun low, Input UV,
    /// Sun low: what dusk leaves behind).
    public var lastAlarms: [UInt8]

    /// An identity; the default serial number is `240000` plus the bus address.
    public init(
        address: UInt8, partNumber: String = "-3G79-", serialNumber: String? = nil,
        version: String = "OENN", firmware: String = "C016", manufactureDate: String = "4612",
        lastAlarms: [UInt8] = [3, 1, 3, 1]
    ) {
        self.partNumber = partNumber
        self.serialNumber = serialNumber ?? String(240_000 + Int(address))
        self.version = version
        self.firmware = firmware
        self.manufactureDate = manufactureDate
        self.lastAlarms = lastAlarms
    }

    /// Checks that every field has the length and character set the protocol carries.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` naming the field to fix.
    public func validate() throws(SimulatorError) {
        for (name, text, length) in [
            ("part number", partNumber, 6), ("serial number", serialNumber, 6), ("version", version, 4),
            ("firmware", firmware, 4), ("manufacture date", manufactureDate, 4),
        ] where text.utf8.count != length || !text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            throw .invalidSetting("the \(name) must be \(length) printable ASCII characters, not \"\(text)\"")
        }
        guard lastAlarms.count == 4 else {
            throw .invalidSetting("the last alarms must be exactly four codes, not \(lastAlarms.count)")
        }
    }
}

extension BridgeConfiguration {
    /// `[plant]`: the inverters summed into one more inverter (see ``PlantAggregator``).
    public struct Plant: Sendable, Equatable {
        /// `enabled`: whether the plant is published; only with two or more inverters. Default true.
        public var enabled: Bool
        /// `name`: the plant's name in topics, like an inverter's; it must differ from every
        /// inverter's. Default `plant`.
        public var name: String

        /// Plant settings with the documented defaults.
        public init(enabled: Bool = true, name: String = "plant") {
            self.enabled = enabled
            self.name = name
        }
    }

    /// The plant's name when it is published (enabled, and two or more inverters), else nil.
    public var plantName: String? {
        plant.enabled && inverters.count >= 2 ? plant.name : nil
    }
}

extension BridgeConfiguration.Plant {
    /// Reads `[plant]`, checking the name's characters and that no inverter has it.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, inverters: [BridgeConfiguration.Inverter]) -> Self {
        reader.checkKeys(table)
        var plant = Self()
        if let enabled = reader.bool(table, "enabled") { plant.enabled = enabled }
        if let name = reader.string(table, "name") {
            if !BridgeConfiguration.Inverter.isValidName(name) {
                reader.report(
                    table, "name",
                    "expected lowercase letters, digits, \"-\" and \"_\" (it is used in topics), got \(TOMLText.quoted(name))")
            } else {
                plant.name = name
            }
        }
        if plant.enabled, inverters.count >= 2, inverters.contains(where: { $0.name == plant.name }) {
            reader.report(
                table, table.entries["name"] == nil ? nil : "name",
                "\(TOMLText.quoted(plant.name)) is also an inverter's name; give the plant another name, or set enabled = false")
        }
        return plant
    }
}

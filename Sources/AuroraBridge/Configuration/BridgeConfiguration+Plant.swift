extension BridgeConfiguration {
    /// `[plant]`: the inverters summed into one more inverter (see ``PlantAggregator``).
    public struct Plant: Sendable, Equatable {
        /// `enabled`: whether the plant is published; only with two or more inverters.
        public var enabled = true
        /// `name`: the plant's name in topics, like an inverter's; it must differ from every
        /// inverter's.
        public var name = "plant"
    }

    /// The plant's name when it is published (enabled, and two or more inverters), else nil.
    public var plantName: String? {
        plant.enabled && inverters.count >= 2 ? plant.name : nil
    }
}

extension BridgeConfiguration.Plant: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init("enabled", \.enabled, .boolean, "Whether the plant is published."),
        .init(
            "name", \.name, .string(what: "a name like an inverter's"), "The plant's name in topics; no inverter may have it."
        ) { name, _ in BridgeConfiguration.Inverter.nameProblem(name) },
    ]

    /// Reads `[plant]`, checking that no inverter has the plant's name.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, inverters: [BridgeConfiguration.Inverter]) -> Self {
        let plant: Self = reader.section(table)
        if plant.enabled, inverters.count >= 2, inverters.contains(where: { $0.name == plant.name }) {
            reader.report(
                table, table.entries["name"] == nil ? nil : "name",
                "\(TOMLText.quoted(plant.name)) is also an inverter's name; give the plant another name, or set enabled = false")
        }
        return plant
    }
}

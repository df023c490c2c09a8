extension HomeAssistantSensor {
    /// The plant's sensors (see ``PlantAggregator``): grid power, DC power, the summed counters
    /// and how many inverters answered (fields left out by `[fields] exclude` are not
    /// announced), then its availability.
    static func plant(fields: BridgeConfiguration.Fields) -> [Self] {
        let dcPower = Self(
            key: "dcPower", source: .loopField("dcPower"), name: "DC power", whileAsleep: .unavailable, unit: "W",
            deviceClass: "power", stateClass: "measurement", precision: 0)
        let inverters = Self(
            key: "inverters", source: .loopField("inverters"), name: "Inverters answering", whileAsleep: .unavailable,
            stateClass: "measurement", precision: 0, diagnostic: true)
        let published = { (name: String) in fields.publishedName(of: name) != nil }
        var sensors = ["gridPower"].filter(published).compactMap(field)
        sensors.append(dcPower)
        sensors += PlantAggregator.counters.map(\.fieldName).filter(published).compactMap(field)
        sensors.append(inverters)
        return sensors + status.filter { $0.source == .availability }
    }
}

extension BridgeConfiguration {
    /// The bus capacity estimate for `[bus]`.
    public var busCapacity: BusCapacity {
        BusCapacity(baudRate: bus.baudrate, commandDelay: bus.commandDelay.seconds)
    }

    /// Why the configured poll intervals do not fit on the bus, or nil when they do (see
    /// ``BusCapacity/warning(intervals:)``).
    public var busCapacityWarning: String? {
        busCapacity.warning(intervals: inverters.map(\.pollInterval.seconds))
    }
}

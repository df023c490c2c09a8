extension Simulator {
    /// Raises alarm `code` now (simulated time) on the inverter at `address`, or on every
    /// inverter when nil; it clears `duration` seconds later, or, when nil, at
    /// ``clearAlarms(address:)``. See ``InverterModel/alarms`` for what the inverter reports.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` for code 0, a negative duration or an
    ///   address without an inverter; no model changes then.
    public func raiseAlarm(_ code: UInt8, address: UInt8? = nil, for duration: Double? = nil) throws(SimulatorError) {
        try ScheduledAlarm(code: code, raisedAt: 0, duration: duration).validate()
        let now = clock.now
        try changeModels(address) { $0.raiseAlarm(code, at: now, for: duration) }
    }

    /// Clears, now, every alarm in force on the inverter at `address`, or on every inverter when
    /// nil; alarms scheduled for later stay.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` if no inverter has that address.
    public func clearAlarms(address: UInt8? = nil) throws(SimulatorError) {
        let now = clock.now
        try changeModels(address) { $0.clearAlarms(at: now) }
    }

    private func changeModels(_ address: UInt8?, _ change: (inout InverterModel) -> Void) throws(SimulatorError) {
        for address in address.map({ [$0] }) ?? addresses {
            try updateModel(address: address, change)
        }
    }
}

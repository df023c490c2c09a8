/// How one loop field becomes a Prometheus metric: its name (base units, per Prometheus'
/// naming rules), its help, the factor from the inverter's unit to the base unit, and labels
/// beyond `inverter` (or `plant`).
struct LoopMetric: Sendable {
    /// The loop field, e.g. `gridPower`.
    let field: String
    /// The metric, e.g. `aurora_grid_power_watts`.
    let name: String
    /// One line on what it is.
    let help: String
    /// The factor to the base unit: 3600 from Wh to joules, 10⁶ from MΩ to ohms.
    var scale = 1.0
    /// More labels, e.g. `string="1"`.
    var labels: [(String, String)] = []
    /// Whether it is a counter (it never goes down; its name ends in `_total`).
    var isCounter = false

    private static let wattHour = 3600.0

    /// Every inverter loop field that has a metric (`energy`, a difference between packets, has
    /// none: `aurora_produced_energy_joules_total` counts the same energy).
    static let inverter: [Self] = [
        .init(field: "gridVoltage", name: "aurora_grid_voltage_volts", help: "AC grid voltage."),
        .init(field: "gridCurrent", name: "aurora_grid_current_amperes", help: "AC grid current."),
        .init(field: "gridPower", name: "aurora_grid_power_watts", help: "AC power fed to the grid."),
        .init(field: "gridFrequency", name: "aurora_grid_frequency_hertz", help: "AC grid frequency."),
        .init(field: "bulkVoltage", name: "aurora_bulk_voltage_volts", help: "Bulk capacitor voltage."),
        .init(field: "leakdcCurrent", name: "aurora_leak_dc_current_amperes", help: "Leakage current of the DC/DC stage."),
        .init(field: "leakCurrent", name: "aurora_leak_current_amperes", help: "Leakage current of the inverter stage."),
        .init(field: "string1Power", name: "aurora_string_power_watts", help: "DC power of a string.", labels: [("string", "1")]),
        .init(field: "string2Power", name: "aurora_string_power_watts", help: "DC power of a string.", labels: [("string", "2")]),
        .init(field: "inverterTemp", name: "aurora_inverter_temperature_celsius", help: "Inverter temperature."),
        .init(field: "boosterTemp", name: "aurora_booster_temperature_celsius", help: "Booster temperature."),
        .init(field: "string1Voltage", name: "aurora_string_voltage_volts", help: "DC voltage of a string.", labels: [("string", "1")]),
        .init(field: "string1Current", name: "aurora_string_current_amperes", help: "DC current of a string.", labels: [("string", "1")]),
        .init(field: "string2Voltage", name: "aurora_string_voltage_volts", help: "DC voltage of a string.", labels: [("string", "2")]),
        .init(field: "string2Current", name: "aurora_string_current_amperes", help: "DC current of a string.", labels: [("string", "2")]),
        .init(field: "griddcVoltage", name: "aurora_grid_dc_voltage_volts", help: "Grid voltage measured by the DC/DC stage."),
        .init(field: "griddcFrequency", name: "aurora_grid_dc_frequency_hertz", help: "Grid frequency measured by the DC/DC stage."),
        .init(field: "isoResistance", name: "aurora_isolation_resistance_ohms", help: "Isolation resistance.", scale: 1e6),
        .init(field: "bulkdcVoltage", name: "aurora_bulk_dc_voltage_volts", help: "Bulk voltage measured by the DC/DC stage."),
        .init(field: "gridavgVoltage", name: "aurora_grid_average_voltage_volts", help: "Average grid voltage."),
        .init(field: "bulkmidVoltage", name: "aurora_bulk_mid_voltage_volts", help: "Bulk mid-point voltage."),
        .init(field: "peakPower", name: "aurora_peak_power_watts", help: "Highest power since the inverter was installed."),
        .init(field: "dayPeakPower", name: "aurora_day_peak_power_watts", help: "Highest power today."),
        .init(field: "gridnVoltage", name: "aurora_grid_neutral_voltage_volts", help: "Grid voltage to neutral."),
        .init(field: "gridnphVoltage", name: "aurora_grid_neutral_phase_voltage_volts", help: "Grid voltage neutral to phase."),
        .init(field: "inverterDateTime", name: "aurora_inverter_clock_seconds", help: "The inverter's clock, as Unix time."),
    ] + energy(prefix: "aurora")

    /// The plant's loop fields.
    static let plant: [Self] = [
        .init(field: "gridPower", name: "aurora_plant_grid_power_watts", help: "AC power of the inverters that answered in the round."),
        .init(field: "dcPower", name: "aurora_plant_dc_power_watts", help: "DC power of the inverters that answered in the round."),
        .init(field: "inverters", name: "aurora_plant_inverters_answering", help: "Inverters that answered in the round."),
    ] + energy(prefix: "aurora_plant")

    /// The energy counters: the periods as a gauge with a `period` label (they reset), the
    /// lifetime counter as a counter.
    private static func energy(prefix: String) -> [Self] {
        let periods = [("dayEnergy", "day"), ("weekEnergy", "week"), ("monthEnergy", "month"), ("yearEnergy", "year"), ("partialEnergy", "partial")]
        return periods.map { field, period in
            Self(
                field: field, name: "\(prefix)_energy_joules", help: "Energy produced in the current period (resets at its start).",
                scale: wattHour, labels: [("period", period)])
        } + [
            Self(
                field: "totalEnergy", name: "\(prefix)_produced_energy_joules_total", help: "Energy produced since installation.",
                scale: wattHour, isCounter: true)
        ]
    }
}

import AuroraProtocol

/// How Home Assistant shows one sensor of an inverter: its name, unit, classes, and what it
/// does while the inverter sleeps. The catalogue behind ``HomeAssistantDiscovery``.
///
/// The choices (see `docs/home-assistant.md`):
/// - measures are `measurement`s with the device class of their unit (MΩ has none) and become
///   unavailable while the inverter sleeps: a dusk reading held all night would be a false
///   value in the history and the long-term statistics;
/// - the energy counters are `energy` in Wh, `total_increasing` (their daily, weekly, … resets
///   are new meter cycles), and keep their last value all night, like the peak powers;
///   `totalEnergy` is the one for the Energy dashboard;
/// - `inverterDateTime` (Unix seconds) becomes a diagnostic `timestamp` through a template;
/// - the derived `energy` (Wh since the previous packet) is not announced: it is neither a
///   measurement nor a meter, and `totalEnergy` carries the same information;
/// - the global state and the alarm come from the JSON state topic, and `availability` shows
///   `online`/`asleep`/`unreachable` itself.
struct HomeAssistantSensor: Sendable, Hashable {
    /// Where the sensor's value comes from.
    enum Source: Sendable, Hashable {
        /// A loop field's own topic, by its original (WeeWX Aurora) name.
        case loopField(String)
        /// The JSON state topic.
        case state
        /// The inverter's availability topic.
        case availability
    }

    /// What the sensor shows while the inverter sleeps.
    enum WhileAsleep: Sendable, Hashable {
        /// `unavailable`: the value is a live reading that no longer holds.
        case unavailable
        /// The last value: a counter or a peak still true at night.
        case lastValue
        /// The value itself (the availability sensor), so only the bridge's state matters.
        case shown
    }

    /// Names the sensor in unique ids and discovery topics: the original field name, or
    /// `state`, `alarm`, `availability` (never field names).
    let key: String
    /// Where the value comes from.
    let source: Source
    /// The entity's name in Home Assistant, e.g. "Grid power".
    let name: String
    /// What the sensor shows while the inverter sleeps.
    let whileAsleep: WhileAsleep
    var unit: String? = nil
    var deviceClass: String? = nil
    var stateClass: String? = nil
    /// Decimals Home Assistant shows by default (values keep their full precision).
    var precision: Int? = nil
    /// Shown under "Diagnostic" rather than with the main sensors.
    var diagnostic = false
    /// A diagnostic measure: disabled by default when `[homeassistant] all_entities = false`.
    var optional = false
    /// Turns the payload into the state.
    var valueTemplate: String? = nil
    /// The allowed states of an `enum` sensor.
    var options: [String] = []
    /// Takes the attributes from the state topic's JSON.
    var stateAttributes = false

    /// The sensor of the loop field `field` (an original name), or nil when it is not announced.
    static func field(_ field: String) -> Self? {
        if let type = MeasureType.polled.first(where: { $0.fieldName == field }) { return measure(type, field: field) }
        if let period = EnergyPeriod.allCases.first(where: { $0.fieldName == field }) { return energy(period) }
        if field == "inverterDateTime" {
            return Self(
                key: field, source: .loopField(field), name: "Inverter clock", whileAsleep: .unavailable,
                deviceClass: "timestamp", diagnostic: true, valueTemplate: "{{ value | int | timestamp_utc }}")
        }
        return nil
    }

    /// The sensors that are not loop fields: global state, alarm and availability.
    static let status: [Self] = [
        Self(
            key: "state", source: .state, name: "State", whileAsleep: .unavailable,
            valueTemplate: "{{ value_json['global']['text'] }}", stateAttributes: true),
        Self(
            key: "alarm", source: .state, name: "Alarm", whileAsleep: .unavailable,
            valueTemplate: "{{ value_json['alarm']['text'] }}"),
        Self(
            key: "availability", source: .availability, name: "Availability", whileAsleep: .shown,
            deviceClass: "enum", diagnostic: true, options: Availability.allCases.map(\.rawValue)),
    ]

    /// Measures that only the curious look at: bulk, booster, leakage, isolation, DC/DC.
    private static let diagnosticMeasures: Set<MeasureType> = [
        .bulkVoltage, .boosterTemperature, .leakDCCurrent, .leakCurrent, .gridDCVoltage, .gridDCFrequency, .isolationResistance,
        .bulkDCVoltage, .gridAverageVoltage, .bulkMidVoltage, .gridNeutralVoltage, .gridNeutralPhaseVoltage,
    ]

    private static func measure(_ type: MeasureType, field: String) -> Self {
        let (deviceClass, precision): (String?, Int) = switch type.unit {
        case "W": ("power", 0)
        case "V": ("voltage", 1)
        case "A": ("current", 2)
        case "Hz": ("frequency", 2)
        case "°C": ("temperature", 1)
        default: (nil, 1)  // MΩ: Home Assistant has no class for resistance
        }
        let isPeak = type == .peakPower || type == .dayPeakPower
        let isLeakage = type == .leakCurrent || type == .leakDCCurrent
        let isDiagnostic = diagnosticMeasures.contains(type)
        return Self(
            key: field, source: .loopField(field), name: type.name, whileAsleep: isPeak ? .lastValue : .unavailable,
            unit: type.unit, deviceClass: deviceClass, stateClass: "measurement",
            precision: isLeakage ? 3 : precision,  // milliamps
            diagnostic: isDiagnostic, optional: isDiagnostic)
    }

    private static func energy(_ period: EnergyPeriod) -> Self {
        let name = switch period {
        case .day: "Energy today"
        case .week: "Energy this week"
        case .month: "Energy this month"
        case .year: "Energy this year"
        case .total: "Energy total"
        case .partial: "Energy partial"
        }
        return Self(
            key: period.fieldName, source: .loopField(period.fieldName), name: name, whileAsleep: .lastValue, unit: "Wh",
            deviceClass: "energy", stateClass: "total_increasing", precision: 0)
    }
}

import AuroraProtocol

/// What a simulated inverter is doing at a given time of day, and the states it reports.
public enum InverterPhase: Sendable, Hashable, CustomStringConvertible {
    /// Dark: the PV-powered communication board is off and nothing answers (unless the model is
    /// always awake, when it reports Wait sun / grid).
    case night
    /// Dawn, global state 1: Wait sun / grid.
    case waitingSunOrGrid
    /// Dawn, global state 2: Checking grid.
    case checkingGrid
    /// Dawn, global state 3: Measuring Riso.
    case measuringRiso
    /// Producing, global state 6: Run.
    case running
    /// Dusk, global state 30: Waiting sun, with zero power.
    case windingDown

    /// Whether power flows to the grid.
    public var isProducing: Bool { self == .running }

    /// Whether the panels give enough light to power the electronics.
    public var hasLight: Bool { self != .night }

    /// The full state reply (command 50) in this phase.
    public var status: InverterStatus {
        switch self {
        case .night, .waitingSunOrGrid:
            status(global: 1, inverter: 0, dcdc: 0, alarm: 1)  // Stand by, DC/DC off, Sun low
        case .checkingGrid:
            status(global: 2, inverter: 1, dcdc: 0, alarm: 0)  // Checking grid
        case .measuringRiso:
            status(global: 3, inverter: 44, dcdc: 0, alarm: 0)  // Waiting start
        case .running:
            status(global: 6, inverter: 2, dcdc: 2, alarm: 0)  // Run, MPPT
        case .windingDown:
            status(global: 30, inverter: 0, dcdc: 5, alarm: 3)  // Stand by, Input UV
        }
    }

    /// A short human-readable description.

    /// A short human-readable description.
    public var description: String {
        switch self {
        case .night: "night"
        case .waitingSunOrGrid: "waiting sun / grid"
        case .checkingGrid: "checking grid"
        case .measuringRiso: "measuring Riso"
        case .running: "running"
        case .windingDown: "winding down"
        }
    }

    private func status(global: UInt8, inverter: UInt8, dcdc: UInt8, alarm: UInt8) -> InverterStatus {
        InverterStatus(
            global: GlobalState(code: global), inverter: InverterState(code: inverter),
            dcdc1: DCDCState(code: dcdc), dcdc2: DCDCState(code: dcdc), alarm: Alarm(code: alarm)
        )
    }
}

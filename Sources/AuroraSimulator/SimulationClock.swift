/// The source of simulated time: what the simulated inverters believe "now" is.
///
/// Time is Unix seconds (fractional); the inverters convert it to their local zone themselves.
/// Tests use ``ManualClock`` and move it by hand; the command-line tool uses ``ScaledClock``.
public protocol SimulationClock: Sendable {
    /// The current simulated time in Unix seconds.
    var now: Double { get }
}

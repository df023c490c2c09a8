#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shape of one simulated PV day on the local wall clock: when the inverter wakes, runs and
/// sleeps, and how much power it feeds in.
///
/// Power follows sin² from 0 at sunrise to the nominal power at solar noon (halfway between
/// sunrise and sunset) and back to 0 at sunset; it is zero outside that window. Energy is the
/// closed-form integral of that curve, so counters are exact at any instant.
///
/// Around the production window the inverter goes through its wake-up states, one
/// ``wakeStepDuration`` each, ending at sunrise; after sunset it winds down for
/// ``windDownDuration`` and then falls silent until the next morning.
public struct SolarDay: Sendable, Hashable {
    /// Sunrise as seconds after local midnight (default 06:00): production starts.
    public var sunrise: Double
    /// Sunset as seconds after local midnight (default 20:00): production ends.
    public var sunset: Double
    /// The power fed in at solar noon, in W (default 3600).
    public var nominalPower: Double
    /// How long each wake-up state (1 Wait sun/grid, 2 Checking grid, 3 Measuring Riso) lasts,
    /// in seconds (default 300). The inverter wakes `3 × wakeStepDuration` before sunrise.
    public var wakeStepDuration: Double
    /// How long the inverter stays awake in state 30 (Waiting sun) after sunset, in seconds
    /// (default 600).
    public var windDownDuration: Double

    /// A PV day; times are seconds after local midnight.
    public init(
        sunrise: Double = 6 * 3600, sunset: Double = 20 * 3600, nominalPower: Double = 3600,
        wakeStepDuration: Double = 300, windDownDuration: Double = 600
    ) {
        self.sunrise = sunrise
        self.sunset = sunset
        self.nominalPower = nominalPower
        self.wakeStepDuration = wakeStepDuration
        self.windDownDuration = windDownDuration
    }

    /// Seconds after local midnight when the power peaks: halfway between sunrise and sunset.
    public var solarNoon: Double { (sunrise + sunset) / 2 }

    /// Seconds after local midnight when the inverter wakes (state 1).
    public var wakeTime: Double { sunrise - 3 * wakeStepDuration }

    /// Seconds after local midnight when the inverter falls silent.
    public var sleepTime: Double { sunset + windDownDuration }

    /// The energy of one full day in Wh.
    public var dailyEnergy: Double { nominalPower * (sunset - sunrise) / 2 / 3600 }

    /// The power fed in at `secondOfDay` in W.
    public func power(at secondOfDay: Double) -> Double {
        guard secondOfDay > sunrise, secondOfDay < sunset else { return 0 }
        let s = sin(Double.pi * (secondOfDay - sunrise) / (sunset - sunrise))
        return nominalPower * s * s
    }

    /// The energy fed in from local midnight to `secondOfDay`, in Wh: the exact integral of
    /// ``power(at:)``.
    public func energy(until secondOfDay: Double) -> Double {
        if secondOfDay <= sunrise { return 0 }
        if secondOfDay >= sunset { return dailyEnergy }
        let length = sunset - sunrise
        let x = secondOfDay - sunrise
        let joules = nominalPower * (x / 2 - length / (4 * Double.pi) * sin(2 * Double.pi * x / length))
        return joules / 3600
    }

    /// The highest power fed in from local midnight to `secondOfDay`, in W.
    public func peakPower(until secondOfDay: Double) -> Double {
        power(at: min(secondOfDay, solarNoon))
    }

    /// What the inverter is doing at `secondOfDay`.
    public func phase(at secondOfDay: Double) -> InverterPhase {
        switch secondOfDay {
        case ..<wakeTime: .night
        case ..<(wakeTime + wakeStepDuration): .waitingSunOrGrid
        case ..<(wakeTime + 2 * wakeStepDuration): .checkingGrid
        case ..<sunrise: .measuringRiso
        case ..<sunset: .running
        case ..<sleepTime: .windingDown
        default: .night
        }
    }

    /// Checks that the day fits in 24 hours and produces something.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` naming the setting to fix.
    public func validate() throws(SimulatorError) {
        guard nominalPower > 0, nominalPower.isFinite else {
            throw .invalidSetting("the nominal power must be a positive number of watts, not \(nominalPower)")
        }
        guard wakeStepDuration >= 0, windDownDuration >= 0 else {
            throw .invalidSetting("wake-up and wind-down durations must not be negative")
        }
        guard sunrise < sunset else {
            throw .invalidSetting("sunrise (\(sunrise) s) must come before sunset (\(sunset) s)")
        }
        guard wakeTime >= 0, sleepTime <= LocalTime.secondsPerDay else {
            throw .invalidSetting(
                "the inverter must wake after midnight and sleep before the next one: move sunrise later or sunset earlier"
            )
        }
    }
}

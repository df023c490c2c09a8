import ArgumentParser
import AuroraSimulator

/// One `aurora-sim --alarm CODE@SECONDS[:DURATION]`: an alarm raised SECONDS simulated seconds
/// after the simulated start and cleared DURATION seconds later (never, without DURATION).
struct AlarmOption {
    /// The alarm code, 1–255.
    let code: UInt8
    /// Simulated seconds from the simulated start (`--start`) to the alarm, at least 0.
    let seconds: Double
    /// How long the alarm lasts, in seconds (more than 0), or nil when it never clears.
    let duration: Double?

    /// Reads `CODE@SECONDS` or `CODE@SECONDS:DURATION`, e.g. `13@120:30`.
    /// - Throws: a `ValidationError` that shows the expected form.
    init(_ text: String) throws(ValidationError) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let times = parts.count == 2 ? parts[1].split(separator: ":", omittingEmptySubsequences: false) : []
        let duration = times.count == 2 ? Double(times[1]) : nil
        guard parts.count == 2, let code = UInt8(parts[0]), code > 0,
              (1...2).contains(times.count), let seconds = Double(times[0]), seconds.isFinite, seconds >= 0,
              times.count == 1 || duration.map({ $0.isFinite && $0 > 0 }) == true
        else {
            throw ValidationError(
                "--alarm expects CODE@SECONDS[:DURATION], e.g. 13@120:30 (alarm 13, Grid fail, 120 simulated seconds "
                    + "after --start, for 30 s): a code 1–255, seconds ≥ 0, a duration > 0 (none: the alarm stays).")
        }
        self.code = code
        self.seconds = seconds
        self.duration = duration
    }

    /// The alarm on a simulation that starts at the Unix time `start`.
    func scheduled(start: Double) -> ScheduledAlarm {
        ScheduledAlarm(code: code, raisedAt: start + seconds, duration: duration)
    }
}

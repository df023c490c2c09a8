#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time consumed by this process, all threads together, from `getrusage(RUSAGE_SELF)`.
struct CPUTime: Sendable {
    /// User-mode seconds.
    let user: Double
    /// Kernel-mode seconds.
    let system: Double

    /// User plus kernel seconds.
    var total: Double { user + system }

    /// The CPU time used by this process so far.
    static func ofThisProcess() -> CPUTime {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return CPUTime(user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
    }

    /// What was used between `earlier` and this reading.
    func since(_ earlier: CPUTime) -> CPUTime {
        CPUTime(user: user - earlier.user, system: system - earlier.system)
    }

    private static func seconds(_ value: timeval) -> Double {
        Double(value.tv_sec) + Double(value.tv_usec) / 1e6
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's monotonic clock (`CLOCK_MONOTONIC`), read the same way on every thread of the
/// bench process, so timestamps taken on the simulator's serving thread and in the subscriber's
/// task can be subtracted.
enum HostClock {
    /// Nanoseconds since an arbitrary fixed point (boot).
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Seconds since the same fixed point, as a `Double`.
    static func seconds() -> Double {
        Double(nanoseconds()) / 1e9
    }
}

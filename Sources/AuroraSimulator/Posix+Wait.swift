#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Posix {
    /// How ``wait(for:until:)`` ended.
    enum WaitOutcome: Equatable {
        /// At least one descriptor has events: see their `revents`.
        case ready
        /// The deadline passed without events.
        case deadlinePassed
        /// `poll` failed.
        case failed
    }

    /// Polls `descriptors` until one of them has events or `deadline` passes (nil: no deadline).
    ///
    /// The wait is precise to the microsecond, not rounded to whole milliseconds as `poll` would
    /// have it, so a reply delayed by the wire time at 19200 baud (9.375 ms) is not stretched to
    /// 10 ms: whole milliseconds are waited in `poll`, the rest in `nanosleep`, after which the
    /// descriptors get one last look.
    static func wait(for descriptors: inout [pollfd], until deadline: ContinuousClock.Instant?) -> WaitOutcome {
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let remaining = deadline - ContinuousClock.now
                if remaining < .milliseconds(1) {
                    // Sleeps overshoot by the timer slack (50 µs by default): sleep to 200 µs
                    // before the deadline, then spin.
                    if remaining > .microseconds(200) { sleep(remaining - .microseconds(200)) }
                    while ContinuousClock.now < deadline {}
                    timeout = 0
                } else {
                    let (seconds, attoseconds) = remaining.components
                    timeout = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
                }
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready > 0 { return .ready }
            if ready < 0 && errno != EINTR { return .failed }
            if ready == 0 && timeout == 0 { return .deadlinePassed }
        }
    }

    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

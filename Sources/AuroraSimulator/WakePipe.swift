#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A self-pipe that tells a serving thread blocked in `poll` to stop: the read end becomes
/// readable once ``signal()`` was called, and stays readable.
struct WakePipe: Sendable {
    /// The end a serving thread polls.
    let readEnd: Int32
    private let writeEnd: Int32

    /// A new pipe.
    /// - Throws: ``SimulatorError/systemCall(_:errno:)`` if no pipe can be created.
    init() throws(SimulatorError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .systemCall("pipe", errno: errno) }
        readEnd = ends[0]
        writeEnd = ends[1]
        do throws(SimulatorError) {
            for end in ends { try Posix.prepare(end) }
        } catch {
            close()
            throw error
        }
    }

    /// Wakes the serving thread.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Whether ``signal()`` was called, waiting at most `timeout` for it (zero: just look).
    ///
    /// The wait is precise to the microsecond, not rounded up to whole milliseconds as `poll`
    /// would have it, so a reply delayed by the wire time at 19200 baud (9.375 ms) is not
    /// stretched to 10 ms: whole milliseconds are waited in `poll`, the rest in `nanosleep`.
    func wait(for timeout: Duration) -> Bool {
        var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            if remaining < .milliseconds(1) {
                // Sleeps overshoot by the timer slack (50 µs by default): sleep to 200 µs before
                // the deadline, then spin.
                if remaining > .microseconds(200) { Self.sleep(remaining - .microseconds(200)) }
                while ContinuousClock.now < deadline {}
                return poll(&descriptor, 1, 0) > 0
            }
            let (seconds, attoseconds) = remaining.components
            let ready = poll(&descriptor, 1, Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }

    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// Closes both ends.
    func close() {
        Posix.closeIgnoringErrors(readEnd)
        Posix.closeIgnoringErrors(writeEnd)
    }
}

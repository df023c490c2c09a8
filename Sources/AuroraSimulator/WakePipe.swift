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

    /// Whether ``signal()`` was called, waiting at most `timeout` for it (zero: just look),
    /// precisely as ``Posix/wait(for:until:)`` waits.
    func wait(for timeout: Duration) -> Bool {
        var descriptors = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        return Posix.wait(for: &descriptors, until: ContinuousClock.now + timeout) == .ready
    }

    /// Closes both ends.
    func close() {
        Posix.closeIgnoringErrors(readEnd)
        Posix.closeIgnoringErrors(writeEnd)
    }
}

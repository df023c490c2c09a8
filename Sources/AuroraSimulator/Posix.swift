#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX helpers the servers share. They block, so call them only from a
/// ``ServingThread`` or while setting up.
enum Posix {
    /// Closes `descriptor`, ignoring errors (there is nothing useful to do about them here).
    static func closeIgnoringErrors(_ descriptor: Int32) { _ = close(descriptor) }

    /// `duration` in whole milliseconds for `poll`, rounded up so short waits are not skipped.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// Switches `descriptor` to non-blocking mode and closes it on `exec` (so child processes
    /// do not inherit it).
    static func prepare(_ descriptor: Int32) throws(SimulatorError) {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .systemCall("fcntl(O_NONBLOCK)", errno: errno)
        }
        guard fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0 else { throw .systemCall("fcntl(FD_CLOEXEC)", errno: errno) }
    }

    /// The result of one read from a non-blocking descriptor.
    enum ReadResult {
        /// Bytes arrived.
        case bytes([UInt8])
        /// Nothing to read right now.
        case nothing
        /// The peer closed the connection, or the descriptor failed.
        case closed
    }

    /// Reads what is available from the non-blocking `descriptor`.
    static func readAvailable(_ descriptor: Int32) -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return .bytes(Array(buffer.prefix(count))) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .nothing
            default: return .closed
            }
        }
    }

    /// Writes all of `bytes` to the non-blocking `descriptor` (with `send` and no SIGPIPE for a
    /// socket). When the descriptor is full, `whenFull` runs once and the write waits up to 100 ms
    /// for room. Returns false if the bytes could not all be written.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, isSocket: Bool, whenFull: () -> Void) -> Bool {
        var offset = 0
        var waited = false
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { chunk in
                isSocket
                    ? send(descriptor, chunk.baseAddress, chunk.count, Int32(MSG_NOSIGNAL))
                    : write(descriptor, chunk.baseAddress, chunk.count)
            }
            if written > 0 {
                offset += written
                continue
            }
            guard written < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return false }
            if errno == EINTR { continue }
            guard !waited else { return false }
            waited = true
            whenFull()
            var descriptorState = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            guard poll(&descriptorState, 1, 100) > 0 else { return false }
        }
        return true
    }
}

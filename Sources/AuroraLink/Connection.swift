import Glibc

/// An open port: a file descriptor in non-blocking mode with deadline-bound reads and writes.
///
/// Not thread-safe: a ``Link`` owns it and uses it from its own thread only; closing happens
/// when the last reference goes.
final class Connection {
    /// What kind of descriptor this is (flushing input differs).
    enum Kind { case serial, tcp }

    /// A read or write failure at the descriptor level.
    enum Failure: Error {
        /// The deadline passed; `received` bytes had arrived.
        case timedOut(received: Int)
        /// The device or connection is gone (EIO, hang-up, EOF, …).
        case lost(String)
    }

    let descriptor: Int32
    let kind: Kind
    let name: String
    /// Where every byte written and read is recorded, if the bus is being captured.
    var capture: (any LinkCapture)?

    init(descriptor: Int32, kind: Kind, name: String) {
        self.descriptor = descriptor
        self.kind = kind
        self.name = name
    }

    deinit {
        // Exclusive mode belongs to the device, not to this descriptor: it outlives the close if
        // anything else keeps the device open, and would lock other users out.
        if kind == .serial { _ = ioctl(descriptor, UInt(TIOCNXCL)) }
        close(descriptor)
    }

    /// Throws away whatever bytes are waiting to be read: late replies, echoes, line noise.
    /// Returns how many bytes were discarded.
    @discardableResult
    func discardInput() throws(Failure) -> Int {
        if kind == .serial {
            var waiting: Int32 = 0
            if ioctl(descriptor, UInt(FIONREAD), &waiting) != 0 { waiting = 0 }
            if waiting > 0, let capture {
                var bytes = [UInt8](repeating: 0, count: Int(waiting))
                let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 { capture.received(Array(bytes[0..<count]), at: .now) }
            }
            tcflush(descriptor, TCIFLUSH)
            return Int(waiting)
        }
        var discarded = 0
        var scratch = [UInt8](repeating: 0, count: 256)
        while true {
            let count = scratch.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                discarded += count
                capture?.received(Array(scratch[0..<count]), at: .now)
                continue
            }
            if count == 0 { throw .lost("the connection was closed by the peer") }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return discarded }
            throw .lost(String(cString: strerror(errno)))
        }
    }

    /// Writes all of `bytes` before `deadline`.
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                // A socket whose peer is gone must report EPIPE, not kill the process with SIGPIPE.
                kind == .tcp
                    ? send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    : Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if count > 0 {
                offset += count
                continue
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                try wait(for: Int16(POLLOUT), until: deadline, received: 0)
                continue
            }
            throw .lost(count == 0 ? "write returned 0" : String(cString: strerror(errno)))
        }
        capture?.sent(bytes, at: .now)
    }

    /// Appends to `buffer` whatever arrives until it holds `count` bytes or `deadline` passes.
    func read(into buffer: inout [UInt8], upTo count: Int, deadline: ContinuousClock.Instant) throws(Failure) {
        var scratch = [UInt8](repeating: 0, count: 64)
        while buffer.count < count {
            try wait(for: Int16(POLLIN), until: deadline, received: buffer.count)
            let got = scratch.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got > 0 {
                buffer.append(contentsOf: scratch[0..<got])
                capture?.received(Array(scratch[0..<got]), at: .now)
            } else if got == 0 {
                throw .lost(kind == .tcp ? "the connection was closed by the peer" : "end of file on the device")
            } else if errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK {
                throw .lost(String(cString: strerror(errno)))
            }
        }
    }

    /// Blocks in `poll` until the descriptor is ready for `events` or the deadline passes.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant, received: Int) throws(Failure) {
        while true {
            // Once the deadline has passed, one last look without waiting: bytes that are already
            // there still count.
            let remaining = max(.zero, ContinuousClock.now.duration(to: deadline))
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .lost(String(cString: strerror(errno)))
            }
            if ready == 0 {
                if remaining == .zero { throw .timedOut(received: received) }
                continue
            }
            if entry.revents & Int16(POLLNVAL) != 0 { throw .lost("the descriptor is no longer valid") }
            if entry.revents & events != 0 { return }
            if entry.revents & Int16(POLLERR | POLLHUP) != 0 { throw .lost("the device hung up") }
        }
    }
}

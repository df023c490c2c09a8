#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One byte stream a serving thread answers requests on: a pseudo-terminal master or a TCP
/// connection. It reads what arrived, cuts it into frames and writes the simulator's replies.
struct RequestChannel {
    /// What the channel is after serving the bytes available.
    enum Outcome {
        /// Still usable.
        case open
        /// The peer went away or the descriptor failed.
        case closed
        /// The server is stopping; return from the serving loop.
        case stopping
    }

    /// The non-blocking descriptor.
    let descriptor: Int32
    /// Whether ``descriptor`` is a socket (written with `send`, without SIGPIPE).
    let isSocket: Bool
    private var scanner = FrameScanner()

    /// A channel on the non-blocking `descriptor`.
    init(descriptor: Int32, isSocket: Bool) {
        self.descriptor = descriptor
        self.isSocket = isSocket
    }

    /// Reads the available bytes and answers every complete request in them, waiting each reply's
    /// delay on `wake` so that a stop interrupts it. `whenFull` runs if the descriptor has no room
    /// for a reply.
    mutating func serveAvailable(simulator: Simulator, wake: WakePipe, whenFull: () -> Void) -> Outcome {
        switch Posix.readAvailable(descriptor) {
        case .closed: return .closed
        case .nothing: return .open
        case .bytes(let bytes): scanner.append(bytes)
        }
        while let frame = scanner.nextFrame() {
            guard let transmission = simulator.respond(to: frame) else { continue }
            if transmission.delay > .zero, wake.wait(for: transmission.delay) { return .stopping }
            simulator.replyWriting(to: frame)
            guard Posix.writeAll(transmission.bytes, to: descriptor, isSocket: isSocket, whenFull: whenFull) else {
                return isSocket ? .closed : .open
            }
        }
        return .open
    }
}

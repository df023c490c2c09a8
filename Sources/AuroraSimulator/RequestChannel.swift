#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One byte stream a serving thread answers requests on: a pseudo-terminal master or a TCP
/// connection. It reads what arrived, cuts it into frames, schedules the simulator's replies and
/// writes them when the ``ReplyScheduler`` says they are due.
struct RequestChannel {
    /// Whether the channel is still usable.
    enum Outcome {
        /// Still usable.
        case open
        /// The peer went away or the descriptor failed.
        case closed
    }

    /// The non-blocking descriptor.
    let descriptor: Int32
    /// Whether ``descriptor`` is a socket (written with `send`, without SIGPIPE).
    let isSocket: Bool
    private let whenFull: () -> Void
    private var scanner = FrameScanner()

    /// A channel on the non-blocking `descriptor`; `whenFull` runs if the descriptor has no room
    /// for a reply.
    init(descriptor: Int32, isSocket: Bool, whenFull: @escaping () -> Void = {}) {
        self.descriptor = descriptor
        self.isSocket = isSocket
        self.whenFull = whenFull
    }

    /// Reads the available bytes and puts the simulator's answer to every complete request in
    /// them into `schedule`, as arrived now.
    mutating func readRequests(simulator: Simulator, into schedule: inout ReplySchedule) -> Outcome {
        switch Posix.readAvailable(descriptor) {
        case .closed: return .closed
        case .nothing: return .open
        case .bytes(let bytes): scanner.append(bytes)
        }
        let arrival = ContinuousClock.now
        while let frame = scanner.nextFrame() {
            guard let transmission = simulator.respond(to: frame) else { continue }
            schedule.add(transmission, answering: frame, on: descriptor, arrivedAt: arrival)
        }
        return .open
    }

    /// Writes `reply`, right after telling the simulator (``Simulator/replyWriting(to:)``). A
    /// pseudo-terminal stays open when a reply cannot be written (it is lost); a socket closes.
    func write(_ reply: ReplySchedule.Entry, simulator: Simulator) -> Outcome {
        simulator.replyWriting(to: reply.requestFrame)
        guard Posix.writeAll(reply.bytes, to: descriptor, isSocket: isSocket, whenFull: whenFull) else {
            return isSocket ? .closed : .open
        }
        return .open
    }
}

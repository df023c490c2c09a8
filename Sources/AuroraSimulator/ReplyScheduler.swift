#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scheduler at the heart of a serving thread: it reads requests on its channels as they
/// arrive, never held up by a reply that waits, and writes every reply on the channel its request
/// came on when it is due (see ``ReplySchedule`` for when that is). Between replies it waits in
/// `poll`, with the next due reply as deadline, so a stop interrupts any wait at once.
struct ReplyScheduler {
    /// What one ``step(wake:listener:)`` saw, besides the requests it read and the replies it wrote.
    struct Events {
        /// The wake pipe was signalled (or `poll` failed): return from the serving loop.
        var stopRequested = false
        /// The listener has a connection to accept.
        var connectionWaiting = false
        /// The descriptors of the channels that closed (the peer went away or the descriptor
        /// failed). Their replies due in this step were dropped; the channels stay until
        /// ``remove(_:)``.
        var closedChannels: [Int32] = []
    }

    private let simulator: Simulator
    private var channels: [RequestChannel]
    private var schedule = ReplySchedule()

    /// A scheduler serving `simulator` on `channels`.
    init(simulator: Simulator, channels: [RequestChannel] = []) {
        self.simulator = simulator
        self.channels = channels
    }

    /// The descriptors of the channels served.
    var channelDescriptors: [Int32] { channels.map(\.descriptor) }

    /// Serves `channel` too.
    mutating func add(_ channel: RequestChannel) { channels.append(channel) }

    /// Stops serving the channel with `descriptor` and drops the replies waiting for it. Does not
    /// close the descriptor.
    mutating func remove(_ descriptor: Int32) {
        channels.removeAll { $0.descriptor == descriptor }
        schedule.removeReplies(on: descriptor)
    }

    /// Waits until a request arrives, `wake` is signalled, `listener` (if any) has a connection
    /// or the next reply is due; then reads the requests that arrived and writes the replies due.
    mutating func step(wake: WakePipe, listener: Int32? = nil) -> Events {
        let watched = [wake.readEnd] + (listener.map { [$0] } ?? []) + channelDescriptors
        var descriptors = watched.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard Posix.wait(for: &descriptors, until: schedule.nextDue) != .failed, descriptors[0].revents == 0 else {
            return Events(stopRequested: true)
        }
        var events = Events(connectionWaiting: listener != nil && descriptors[1].revents != 0)
        let firstChannel = watched.count - channels.count
        for index in channels.indices where descriptors[firstChannel + index].revents != 0 {
            if channels[index].readRequests(simulator: simulator, into: &schedule) == .closed {
                events.closedChannels.append(channels[index].descriptor)
            }
        }
        while let reply = schedule.removeFirstDue(at: .now) {
            guard !events.closedChannels.contains(reply.channel),
                  let channel = channels.first(where: { $0.descriptor == reply.channel })
            else { continue }
            if channel.write(reply, simulator: simulator) == .closed { events.closedChannels.append(reply.channel) }
        }
        return events
    }
}

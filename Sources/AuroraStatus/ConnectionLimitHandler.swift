import NIOCore
import NIOHTTP1
import Synchronization

/// How many connections the status server has open, shared by every connection's
/// ``ConnectionLimitHandler``.
final class OpenConnections: Sendable {
    /// The most that may be open at once.
    let limit: Int
    private let count = Atomic<Int>(0)

    /// None open yet; at most `limit` at once.
    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection in; false (and not counted) when `limit` are already open.
    func admit() -> Bool {
        let (_, now) = count.add(1, ordering: .relaxed)
        guard now > limit else { return true }
        count.subtract(1, ordering: .relaxed)
        return false
    }

    /// Counts an admitted connection out.
    func release() {
        count.subtract(1, ordering: .relaxed)
    }

    /// How many are open now.
    var current: Int { count.load(ordering: .relaxed) }
}

/// Keeps the status server at ``OpenConnections/limit`` connections: one more is closed as
/// soon as it opens, before it can hold anything; what it sent is not passed on.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let connections: OpenConnections
    private var decided = false
    private var admitted = false

    init(_ connections: OpenConnections) {
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { decide(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        decide(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if admitted { context.fireChannelRead(data) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    private func decide(_ context: ChannelHandlerContext) {
        guard !decided else { return }
        decided = true
        admitted = connections.admit()
        if !admitted { context.close(promise: nil) }
    }

    private func release() {
        guard admitted else { return }
        admitted = false
        connections.release()
    }
}

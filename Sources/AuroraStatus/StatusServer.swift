import AuroraBridge
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The status server (SwiftNIO's HTTP/1.1 server pipeline) on `[http] listen`, as one more
/// service of the bridge: it runs on an event-loop thread of its own, started with the service
/// and shut down after it, and stops with the bridge's other services (open connections are
/// closed).
///
/// Hostile clients cannot hold it: at most ``maximumConnections`` connections are open at once
/// (``ConnectionLimitHandler``), a request head must arrive in full within ``requestHeadTimeout``
/// (``RequestDeadlineHandler``), and a request line or headers over ``maximumHeadBytes`` are
/// refused with 431 (the decoder's limit; ``ParserErrorResponder``). Answers are rendered on the
/// event-loop thread (``StatusResponder``); the poller and the MQTT client run on threads of
/// their own.
///
/// When it cannot listen (the port is taken), it logs the error and the bridge goes on without it.
struct StatusServer: Service, CustomStringConvertible {
    /// The most connections open at once.
    static let maximumConnections = 16
    /// How long a request head may take to arrive, from the connection's opening or the end of
    /// the previous response.
    static let requestHeadTimeout = TimeAmount.seconds(10)
    /// The most bytes of request target and header names and values a request may have.
    static let maximumHeadBytes = 8192

    /// Where to listen.
    let listen: ListenAddress
    /// What to answer.
    let responder: StatusResponder
    let logger: Logger

    var description: String { "http" }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await serve(on: group)
        } catch {
            logger.error(
                "the status server stopped; the bridge goes on without it", metadata: ["listen": "\(listen)", "error": "\(error)"])
            try? await gracefulShutdown()
        }
        try await group.shutdownGracefully()
    }

    private func serve(on group: MultiThreadedEventLoopGroup) async throws {
        let connections = OpenConnections(limit: Self.maximumConnections)
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: listen.host, port: listen.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    var limits = NIOHTTPDecoderLimitConfiguration()
                    limits.maxHeaderFieldSize = Self.maximumHeadBytes
                    limits.maxHeaderListSize = Self.maximumHeadBytes
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(
                        withPipeliningAssistance: true, withErrorHandling: false,
                        withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
                    try pipeline.addHandlers([
                        ParserErrorResponder(), ConnectionLimitHandler(connections),
                        RequestDeadlineHandler(timeout: Self.requestHeadTimeout),
                    ])
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        logger.info("status page listening", metadata: ["listen": "http://\(listen)/"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { connectionTasks in
                try await server.executeThenClose { inbound in
                    for try await channel in inbound {
                        connectionTasks.addTask { await StatusConnection(channel: channel, responder: responder).run() }
                    }
                }
                connectionTasks.cancelAll()  // the listener is closed: so are the connections
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }
}

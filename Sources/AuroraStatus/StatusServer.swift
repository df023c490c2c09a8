import AuroraBridge
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The status server (Hummingbird, HTTP/1.1) on `[http] listen`, as one more service of the
/// bridge: it runs on an event loop thread of its own, started with the service and shut down
/// after it, and stops with the bridge's other services.
///
/// Hostile clients cannot hold it: at most ``maximumConnections`` connections are open at once
/// (``ConnectionLimitHandler``), a request head must arrive in full within ``requestHeadTimeout``
/// (``RequestDeadlineHandler``), and a request line or headers over ``maximumHeadBytes`` are
/// refused with 431 (the decoder's limit; ``ParserErrorResponder``). Its requests are answered
/// on the concurrency pool; the poller and the MQTT client run on threads of their own.
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
            try await application(on: group).run()
        } catch {
            logger.error(
                "the status server stopped; the bridge goes on without it",
                metadata: ["listen": "\(listen)", "error": "\(error)"])
            try? await gracefulShutdown()
        }
        try await group.shutdownGracefully()
    }

    private func application(on group: MultiThreadedEventLoopGroup) -> some ApplicationProtocol {
        let connections = OpenConnections(limit: Self.maximumConnections)
        let channel = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                ConnectionLimitHandler(connections), RequestDeadlineHandler(timeout: Self.requestHeadTimeout),
                ParserErrorResponder(),
            ],
            idleTimeout: nil,
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: Self.maximumHeadBytes, maxHeaderListSize: Self.maximumHeadBytes, maxHeaderFieldCount: 100))
        return Application(
            responder: responder, server: .http1(configuration: channel),
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { [logger, listen] _ in logger.info("status page listening", metadata: ["listen": "http://\(listen)/"]) },
            eventLoopGroupProvider: .shared(group), logger: logger)
    }
}

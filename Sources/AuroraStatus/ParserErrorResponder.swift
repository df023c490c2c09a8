import NIOCore
import NIOHTTP1

/// Answers the requests that NIO's HTTP parser refuses with the status that says why: a request
/// line or headers over the decoder's limit get `431 Request Header Fields Too Large`, a method
/// the parser does not know gets `405 Method Not Allowed`, anything else it cannot read
/// `400 Bad Request`. The connection then closes. (NIO's own `HTTPServerProtocolErrorHandler`
/// answers 400 to all of them.)
///
/// The answer goes out only when no response is under way on the connection (else the
/// connection just closes). Output is closed after it and input is read until the client
/// closes (or the ``RequestDeadlineHandler`` does): closing while the rest of an oversized
/// header is still arriving would reset the connection and lose the answer. The error goes no
/// further.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether a request head arrived whose response has not ended.
    private var responding = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { responding = true }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { responding = false }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !responding else {
            context.close(promise: nil)
            return
        }
        responding = true  // nothing more is answered on this connection
        let status = Self.status(for: parserError)
        var headers = HTTPHeaders([("Connection", "close"), ("Content-Length", "0")])
        if status == .methodNotAllowed { headers.add(name: "Allow", value: StatusResponder.allowedMethods) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
    }

    /// The answer to `error`.
    static func status(for error: HTTPParserError) -> HTTPResponseStatus {
        switch error {
        case .headerOverflow: .requestHeaderFieldsTooLarge
        case .invalidMethod: .methodNotAllowed
        default: .badRequest
        }
    }
}

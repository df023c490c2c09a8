import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers the request heads that NIO's HTTP parser refuses with the status that says why,
/// where the server would otherwise answer 400: a request line or headers over the decoder's
/// limit get `431 Request Header Fields Too Large`, a method the parser does not know gets
/// `405 Method Not Allowed`. The connection then closes.
///
/// The answer goes out only when no response is under way on the connection (else the
/// connection just closes). Output is closed after it and input is read until the client
/// closes (or the ``RequestDeadlineHandler`` does): closing while the rest of an oversized
/// header is still arriving would reset the connection and lose the answer.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

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
        guard let parserError = error as? HTTPParserError, let status = Self.status(for: parserError) else {
            context.fireErrorCaught(error)
            return
        }
        guard !responding else {
            context.close(promise: nil)
            return
        }
        responding = true  // nothing more is answered on this connection
        var fields: HTTPFields = [.connection: "close", .contentLength: "0"]
        if status == .methodNotAllowed { fields[.allow] = StatusResponder.allowedMethods }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
    }

    /// The answer to `error`, or nil for errors the server's own 400 answers.
    static func status(for error: HTTPParserError) -> HTTPResponse.Status? {
        switch error {
        case .headerOverflow: .requestHeaderFieldsTooLarge
        case .invalidMethod: .methodNotAllowed
        default: nil
        }
    }
}

import NIOCore
import NIOHTTP1

/// One answer of the status server: status, headers and body, written out by
/// ``StatusConnection`` (without the body for `HEAD`).
struct StatusResponse: Sendable {
    /// The status.
    var status: HTTPResponseStatus
    /// The headers, `Content-Length` included.
    var headers: HTTPHeaders
    /// The body.
    var body: ByteBuffer

    /// An answer of `type` with `body`; every answer is never cached and never sniffed as
    /// another type. `extra` headers are added.
    init(_ status: HTTPResponseStatus, type: String, body: ByteBuffer, _ extra: [(String, String)] = []) {
        self.status = status
        self.body = body
        headers = HTTPHeaders([
            ("Content-Type", type), ("Content-Length", String(body.readableBytes)), ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ] + extra)
    }

    /// A plain-text answer.
    static func text(_ status: HTTPResponseStatus, _ text: String, _ extra: [(String, String)] = []) -> Self {
        Self(status, type: "text/plain; charset=utf-8", body: ByteBuffer(string: text), extra)
    }
}

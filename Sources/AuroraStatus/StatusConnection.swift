import NIOCore
import NIOHTTP1

/// Serves one connection of the status server: each request it reads (NIO's decoder parses
/// them; its pipelining handler hands them over one at a time) is answered by the
/// ``StatusResponder``, and the connection is kept for the next request when the client asks.
struct StatusConnection {
    /// The connection, its request parts in, response parts out.
    let channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    /// What to answer.
    let responder: StatusResponder

    /// Serves the connection until the client closes it, asks to close it, or it fails.
    func run() async {
        try? await channel.executeThenClose { inbound, outbound in
            for try await part in inbound {
                // Answered on its head: no path takes a body, so one that is late or never comes
                // holds nothing (the request deadline closes such a connection).
                guard case .head(let request) = part else { continue }
                var response = await responder.respond(to: request, renderingOn: channel.channel.eventLoop)
                if !request.isKeepAlive { response.headers.replaceOrAdd(name: "Connection", value: "close") }
                try await outbound.write(.head(HTTPResponseHead(version: request.version, status: response.status, headers: response.headers)))
                if request.method != .HEAD { try await outbound.write(.body(.byteBuffer(response.body))) }
                try await outbound.write(.end(nil))
                guard request.isKeepAlive else { return }
            }
        }
    }
}

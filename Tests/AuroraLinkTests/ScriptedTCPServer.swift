import AuroraProtocol
import Foundation
import Synchronization

/// A tiny TCP peer for what the simulator cannot do: it answers each 10-byte request with the
/// bytes `answer` returns (nothing for nil) and can hang up on its clients, like an
/// RS485-to-Ethernet adapter that reboots.
///
/// One thread accepts, one thread per connection serves; blocking calls are woken by
/// `shutdown(2)`, so nothing polls. The threads keep the server alive: call ``stop()``.
final class ScriptedTCPServer: Sendable {
    /// The loopback port it listens on.
    let port: UInt16
    private let listener: Int32
    private let answer: @Sendable (Request) -> [UInt8]?

    private struct State {
        var requests: [Request] = []
        var connections = 0
        var clients: Set<Int32> = []
        var stopped = false
    }

    private let state = Mutex(State())

    /// Listens on 127.0.0.1 at a free port.
    init(answer: @escaping @Sendable (Request) -> [UInt8]?) throws {
        self.answer = answer
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound, listen(fd, 8) == 0 else {
            if fd >= 0 { close(fd) }
            throw POSIXError(.EADDRNOTAVAIL)
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// `tcp://127.0.0.1:PORT`.
    var url: String { "tcp://127.0.0.1:\(port)" }

    /// The requests received so far, in order.
    var requests: [Request] { state.withLock { $0.requests } }

    /// How many connections were accepted.
    var connections: Int { state.withLock { $0.connections } }

    /// Closes every open connection (clients see end of file); new ones are still accepted.
    func hangUp() {
        state.withLock { state in
            for client in state.clients { shutdown(client, Int32(SHUT_RDWR)) }
        }
    }

    /// Stops accepting and closes every connection.
    func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        hangUp()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            let accepted = state.withLock { state -> Bool in
                guard client >= 0, !state.stopped else { return false }
                state.connections += 1
                state.clients.insert(client)
                return true
            }
            if !accepted {
                if client >= 0 { close(client) }
                if state.withLock({ $0.stopped }) {
                    close(listener)
                    return
                }
                continue
            }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        var frame: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: Request.length)
        while true {
            let count = scratch.withUnsafeMutableBytes { recv(client, $0.baseAddress, Request.length - frame.count, 0) }
            if count <= 0 && !(count < 0 && errno == EINTR) { break }
            if count <= 0 { continue }
            frame += scratch[0..<count]
            guard frame.count == Request.length else { continue }
            defer { frame.removeAll() }
            guard let request = try? Request(frame: frame) else { continue }
            state.withLock { $0.requests.append(request) }
            if let reply = answer(request) {
                _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
        state.withLock { state in
            state.clients.remove(client)
            close(client)
        }
    }
}

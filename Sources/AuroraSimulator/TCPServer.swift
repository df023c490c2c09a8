#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Serves a ``Simulator`` over TCP, the stand-in for a serial-to-Ethernet converter: each
/// connection is a byte stream carrying request frames and replies, as on the bus.
///
/// One dedicated thread accepts connections and serves all of them: it reads requests as they
/// arrive and writes each reply, on the connection its request came on, when it is due. An
/// address answers its requests in order across all connections, as the one inverter behind the
/// converter would: a late reply holds back the later replies of its address, whichever
/// connection asked, while the other addresses go on answering (see ``FaultSettings``). A
/// connection that closes drops the replies still waiting for it.
///
/// - Important: Call ``stop()`` when done: it joins the thread and closes every socket.
public final class TCPServer: Sendable {
    /// The host the server listens on, as given.
    public let host: String
    /// The port the server listens on (the one the system chose, if 0 was asked for).
    public let port: UInt16

    private struct Running: Sendable {
        let listener: Int32
        let wake: WakePipe
        let thread: ServingThread
    }

    private let running: Mutex<Running?>

    /// Listens on `host` (an IP address or a local name) and `port` (0: any free port) and starts
    /// serving `simulator`.
    /// - Throws: ``SimulatorError/unresolvableHost(_:)`` or ``SimulatorError/systemCall(_:errno:)``
    ///   if the socket cannot be set up (e.g. the port is taken).
    public init(simulator: Simulator, host: String = "127.0.0.1", port: UInt16 = 0) throws(SimulatorError) {
        self.host = host
        let listener = try Self.listen(host: host, port: port)
        do throws(SimulatorError) {
            self.port = try Self.boundPort(of: listener)
            let wake = try WakePipe()
            do throws(SimulatorError) {
                let thread = try ServingThread { Self.serve(listener: listener, wake: wake, simulator: simulator) }
                running = Mutex(Running(listener: listener, wake: wake, thread: thread))
            } catch {
                wake.close()
                throw error
            }
        } catch {
            Posix.closeIgnoringErrors(listener)
            throw error
        }
    }

    deinit { stop() }

    /// `host:port`, e.g. `127.0.0.1:40123` (IPv6 hosts in brackets).
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Stops serving: joins the thread and closes the listening socket and every connection.
    /// Safe to call more than once.
    public func stop() {
        guard let running = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        running.wake.signal()
        running.thread.join()
        running.wake.close()
        Posix.closeIgnoringErrors(running.listener)
    }

    private static func listen(host: String, port: UInt16) throws(SimulatorError) -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let list else { throw .unresolvableHost(host) }
        defer { freeaddrinfo(list) }
        let info = list.pointee
        let listener = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw .systemCall("socket", errno: errno) }
        var reuse: Int32 = 1
        _ = setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        do throws(SimulatorError) {
            guard bind(listener, info.ai_addr, info.ai_addrlen) == 0 else {
                throw .systemCall("bind(\(host):\(port))", errno: errno)
            }
            guard Glibc.listen(listener, 16) == 0 else { throw .systemCall("listen", errno: errno) }
            try Posix.prepare(listener)
        } catch {
            Posix.closeIgnoringErrors(listener)
            throw error
        }
        return listener
    }

    private static func boundPort(of listener: Int32) throws(SimulatorError) -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        guard result == 0 else { throw .systemCall("getsockname", errno: errno) }
        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// The serving loop: runs on the server's own thread until the wake pipe is signalled.
    private static func serve(listener: Int32, wake: WakePipe, simulator: Simulator) {
        var scheduler = ReplyScheduler(simulator: simulator)
        defer { for descriptor in scheduler.channelDescriptors { Posix.closeIgnoringErrors(descriptor) } }
        while true {
            let events = scheduler.step(wake: wake, listener: listener)
            if events.stopRequested { return }
            for descriptor in events.closedChannels {
                scheduler.remove(descriptor)
                Posix.closeIgnoringErrors(descriptor)
            }
            guard events.connectionWaiting else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            if (try? Posix.prepare(connection)) != nil {
                scheduler.add(RequestChannel(descriptor: connection, isSocket: true))
            } else {
                Posix.closeIgnoringErrors(connection)
            }
        }
    }
}

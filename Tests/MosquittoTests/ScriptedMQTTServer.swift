import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny MQTT 5 server on a loopback port, for what mosquitto 2.0 does not do on request: send
/// a DISCONNECT with a reason code. It accepts each connection with a CONNACK, then follows the
/// script's step for that connection (the last step repeats). It answers SUBSCRIBE (granting
/// QoS 1) and PINGREQ, and records the filters each connection subscribed to.
final class ScriptedMQTTServer: Sendable {
    enum Step: Sendable {
        /// Send DISCONNECT with this reason code right after the CONNACK, and close.
        case disconnect(reason: UInt8)
        /// Keep the connection until the client closes it.
        case stay
    }

    /// The port it listens on (bound to port 0, so no race with other tests).
    let port: UInt16
    private let listener: Int32
    private let script: [Step]
    /// Per accepted connection, the filters it subscribed to.
    private let subscriptions = Mutex<[[String]]>([])

    init(script: [Step]) throws {
        precondition(!script.isEmpty, "a script needs a step")
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        } && listen(fd, 4) == 0
        guard fd >= 0, listening else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptConnections() }
    }

    /// Stops accepting; connections end when their clients close them.
    func stop() {
        _ = shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// The filters subscribed to, per connection so far.
    var subscribedFilters: [[String]] { subscriptions.withLock { $0 } }

    private func acceptConnections() {
        var index = 0
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let step = script[min(index, script.count - 1)]
            let slot = subscriptions.withLock { $0.append([]); return $0.count - 1 }
            index += 1
            Thread.detachNewThread { [self] in serve(connection, step: step, slot: slot) }
        }
    }

    private func serve(_ connection: Int32, step: Step, slot: Int) {
        defer { close(connection) }
        guard let connect = Self.readPacket(connection), connect.type == 0x10 else { return }
        Self.write(connection, [0x20, 0x03, 0x00, 0x00, 0x00])  // CONNACK: no session, success, no properties
        if case .disconnect(let reason) = step {
            Self.write(connection, [0xE0, 0x02, reason, 0x00])
            _ = shutdown(connection, Int32(SHUT_WR))
            while Self.readPacket(connection) != nil {}  // until the client closes
            return
        }
        while let packet = Self.readPacket(connection) {
            switch packet.type & 0xF0 {
            case 0x80:  // SUBSCRIBE: packet id, properties, then (filter, options)…
                let filters = Self.filters(inSubscribe: packet.body)
                subscriptions.withLock { $0[slot] += filters }
                let suback = [packet.body[0], packet.body[1], 0x00] + [UInt8](repeating: 0x01, count: filters.count)
                Self.write(connection, [0x90, UInt8(suback.count)] + suback)
            case 0xC0:  // PINGREQ
                Self.write(connection, [0xD0, 0x00])
            case 0xE0:  // DISCONNECT
                return
            default:
                continue
            }
        }
    }

    private static func filters(inSubscribe body: [UInt8]) -> [String] {
        var offset = 2
        var propertiesLength = 0
        var shift = 0
        while offset < body.count {
            let byte = body[offset]
            offset += 1
            propertiesLength |= Int(byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        offset += propertiesLength
        var filters: [String] = []
        while offset + 2 <= body.count {
            let length = Int(body[offset]) << 8 | Int(body[offset + 1])
            let end = offset + 2 + length
            guard end < body.count else { break }
            filters.append(String(decoding: body[(offset + 2)..<end], as: UTF8.self))
            offset = end + 1  // skip the options byte
        }
        return filters
    }

    private static func readPacket(_ connection: Int32) -> (type: UInt8, body: [UInt8])? {
        guard let header = readExactly(connection, 1) else { return nil }
        var length = 0
        var shift = 0
        while true {
            guard let byte = readExactly(connection, 1)?.first else { return nil }
            length |= Int(byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        guard let body = length == 0 ? [] : readExactly(connection, length) else { return nil }
        return (header[0], body)
    }

    private static func readExactly(_ connection: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { recv(connection, $0.baseAddress! + done, count - done, 0) }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    private static func write(_ connection: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }
}

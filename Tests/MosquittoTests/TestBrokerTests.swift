import AuroraTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Test broker")
struct TestBrokerTests {
    /// Listens on 127.0.0.1:`port` until closed, as a parallel test's server would. Close-on-exec,
    /// or every child a parallel test spawns meanwhile keeps listening on it after we close it.
    private func occupy(_ port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        try #require(fd >= 0 && bound && listen(fd, 1) == 0, "could not take port \(port): errno \(errno)")
        return fd
    }

    @Test func aRestartWaitsOutSomeoneHoldingItsPortForAMoment() async throws {
        let broker = try await TestBroker.start()
        try await broker.stop()
        let holder = try occupy(broker.port)
        let restart = Task { try await broker.start() }
        // Release the port only once mosquitto has failed to bind it at least once.
        try await Deadline.until("mosquitto to find its port taken", timeout: .seconds(10)) {
            broker.log().contains("Address already in use")
        }
        close(holder)
        try await restart.value
        #expect(broker.isRunning)
        let subscriber = try await TestSubscriber.connect(to: broker)  // mosquitto itself answers
        await subscriber.close()
    }
}

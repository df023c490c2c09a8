import AuroraTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Child process")
struct ChildProcessTests {
    /// A connection this process closes ends for its peer, although a long-lived child was
    /// started while it was open and it was not close-on-exec (as SwiftNIO's accepted sockets
    /// are not): the child does not inherit it.
    @Test func aChildInheritsNoDescriptorBeyondStandardOutputAndError() async throws {
        var ends: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        defer { close(ends[1]) }
        let directory = try TemporaryDirectory("child-process")
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"], outputPath: directory.file("out"))
        defer { child.send(SIGKILL) }
        close(ends[0])
        var entry = pollfd(fd: ends[1], events: Int16(POLLIN), revents: 0)
        #expect(poll(&entry, 1, 10_000) == 1, "the peer sees the end while the child still runs")
        var byte: UInt8 = 0
        #expect(recv(ends[1], &byte, 1, Int32(MSG_DONTWAIT)) == 0)
        #expect(!child.hasExited)
    }
}

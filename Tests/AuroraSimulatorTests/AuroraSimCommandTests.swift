import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

/// `aurora-sim` run as a subprocess, the way scripts and the demo use it.
@Suite("aurora-sim command")
struct AuroraSimCommandTests {
    /// The built `aurora-sim`, next to the test bundle (`swift build --build-tests` builds both).
    static let executable: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("aurora-sim")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        // Fall back to the package's debug build directory.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/aurora-sim")
    }()

    private func launch(_ arguments: [String]) throws -> (Process, Pipe) {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build aurora-sim first: swift build")
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    /// The first line the process prints, read off the pool with a deadline.
    private func firstLine(of pipe: Pipe) async throws -> String {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        return try await Blocking.run {
            var line: [UInt8] = []
            let deadline = ContinuousClock.now + .seconds(10)
            while !line.contains(0x0A) {
                var state = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard ContinuousClock.now < deadline, poll(&state, 1, 100) >= 0 else { throw RawPortError.timeout(expected: 1, received: line) }
                guard state.revents != 0 else { continue }
                var byte: UInt8 = 0
                guard read(descriptor, &byte, 1) == 1 else { throw RawPortError.hangUp }
                line.append(byte)
            }
            return String(decoding: line.dropLast(), as: UTF8.self)
        }
    }

    private func exitStatus(of process: Process) async throws -> Int32 {
        try await Deadline.until("aurora-sim to exit", timeout: .seconds(10)) { !process.isRunning }
        return process.terminationStatus
    }

    @Test func servesALinkUntilSIGTERMThenCleansUp() async throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-sim-cli-\(UUID().uuidString)").path
        let (process, output) = try launch([
            "--link", link, "--time-zone", "UTC", "--start", "2026-06-21T13:00:00", "--address", "2", "--address", "7",
        ])
        defer { if process.isRunning { process.terminate() } }
        let slave = try await firstLine(of: output)
        #expect(slave.hasPrefix("/dev/pts/"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == slave)

        let (power, serial) = try await Blocking.run {
            let port = try RawPort.openSerial(link)
            defer { port.close() }
            return (try port.exchange(.measure(.gridPower, address: 2)), try port.exchange(Request(address: 7, command: .serialNumber)))
        }
        #expect(CRC16.isValid(frame: power))
        #expect(abs(power.replyFloat - 3600) < 1, "solar noon, time running at real speed")
        #expect(String(decoding: serial.prefix(6), as: UTF8.self) == "240007")

        process.terminate()
        #expect(try await exitStatus(of: process) == 0)
        #expect(!FileManager.default.fileExists(atPath: link))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
    }

    @Test func servesTCPAndPrintsTheBoundAddress() async throws {
        let (process, output) = try launch(["--tcp", "127.0.0.1:0", "--always-awake", "--start", "0"])
        defer { if process.isRunning { process.terminate() } }
        let address = try await firstLine(of: output)
        let port = try #require(address.split(separator: ":").last.flatMap { UInt16($0) })
        #expect(address == "127.0.0.1:\(port)" && port != 0)
        let state = try await Blocking.run {
            let connection = try RawPort.connect(port: port)
            defer { connection.close() }
            return try connection.exchange(.state(address: 2))
        }
        #expect(CRC16.isValid(frame: state))
        process.interrupt()
        #expect(try await exitStatus(of: process) == 0)
    }

    @Test(arguments: [
        ["--drop-rate", "1.5", "--link", "/tmp/unused"],
        ["--link", "/tmp/unused", "--tcp", "127.0.0.1:0"],
        [],
        ["--tcp", "nonsense"],
        ["--link", "/tmp/unused", "--address", "64"],
        ["--link", "/tmp/unused", "--start", "yesterday"],
        ["--link", "/tmp/unused", "--time-zone", "Mars/Olympus"],
        ["--link", "/tmp/unused", "--time-scale", "0"],
    ])
    func rejectsInvalidOptionsWithExitCode64(arguments: [String]) async throws {
        let (process, _) = try launch(arguments)
        #expect(try await exitStatus(of: process) == 64)
    }
}

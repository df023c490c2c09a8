import AuroraLink
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Glibc
import Testing

@Suite("aurora-bridge exit codes and messages")
struct ExitCodeTests {
    /// 03:00 UTC: the simulated inverter is asleep.
    static let night = SimulatedBus.defaultStart - 10 * 3600

    @Test(arguments: [
        (["query", "state", "--port", "/dev/ttyUSB0", "--address", "0"], "--address must be from 1 to 63"),
        (["query", "state", "--port", "/dev/ttyUSB0", "--address", "64"], "--address must be from 1 to 63"),
        (["query", "state", "--port", "/dev/ttyUSB0", "--address", "300"], "--address"),
        (["query", "state", "--port", ""], "device path"),
        (["query", "state", "--port", "ftp://x"], "only tcp://"),
        (["query", "state", "--port", "tcp://host"], "port is missing"),
        (["query", "weather", "--port", "/dev/ttyUSB0"], "weather"),
        (["query", "state"], "--port"),
        (["query", "state", "--port", "/dev/ttyUSB0", "--tries", "0"], "--tries"),
        (["query", "state", "--port", "/dev/ttyUSB0", "--read-timeout", "0"], "--read-timeout"),
        (["query", "state", "--port", "/dev/ttyUSB0", "--time-zone", "Mars/Olympus"], "Mars/Olympus"),
        (["set-time", "--port", "/dev/ttyUSB0", "--address", "0"], "--address must be from 1 to 63"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) async throws {
        let result = try await BridgeCommandLine.run(arguments)
        #expect(result.exitCode == 64, "\(result)")
        #expect(result.errors.contains(message), "\(result)")
        #expect(result.output.isEmpty)
    }

    @Test func aSleepingInverterExits69AndSaysWhatToCheck() async throws {
        try await SimulatedBus.withPseudoTerminal(start: Self.night) { bus in
            let started = ContinuousClock.now
            let result = try await BridgeCommandLine.run([
                "query", "readings", "--port", try #require(bus.linkPath), "--read-timeout", "0.2", "--tries", "1",
            ])
            #expect(result.exitCode == 69, "\(result)")
            #expect(result.errors.contains("address 2"), "\(result)")
            #expect(result.errors.contains("wiring"))
            #expect(result.errors.contains("night"))
            #expect(result.output.isEmpty)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func aWrongAddressExits69() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            for item in ["state", "time"] {
                let result = try await BridgeCommandLine.run([
                    "query", item, "--port", try #require(bus.linkPath), "--address", "9", "--read-timeout", "0.2", "--tries", "1",
                ])
                #expect(result.exitCode == 69, "\(result)")
                #expect(result.errors.contains("address 9"), "\(result)")
            }
            let setTime = try await BridgeCommandLine.run([
                "set-time", "--port", try #require(bus.linkPath), "--address", "9", "--read-timeout", "0.2", "--tries", "1",
            ])
            #expect(setTime.exitCode == 69, "\(setTime)")
            #expect(bus.simulator.clockOffset(address: 2) == 0)
        }
    }

    @Test func aMissingDeviceExits69() async throws {
        let directory = try TemporaryDirectory("cli-missing")
        let path = directory.file("ttyUSB9")
        let result = try await BridgeCommandLine.run(["query", "state", "--port", path])
        #expect(result.exitCode == 69, "\(result)")
        #expect(result.errors.contains("cannot open \(path)"), "\(result)")
        #expect(result.errors.contains("No such file"))
    }

    @Test func anUnreachableAdapterExits69() async throws {
        let refusing = RefusingPort()
        let port = refusing.port
        let result = try await BridgeCommandLine.run(["query", "state", "--port", "tcp://127.0.0.1:\(port)"])
        withExtendedLifetime(refusing) {}
        #expect(result.exitCode == 69, "\(result)")
        #expect(result.errors.contains("tcp://127.0.0.1:\(port)"), "\(result)")
        #expect(result.errors.contains("refused"))
    }

    @Test func aPortHeldByAnotherProcessExits69WithPortInUse() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let path = try #require(bus.linkPath)
            let holder = Link(configuration: LinkConfiguration(port: .serial(path: path)))
            try await holder.open()
            let result = try await BridgeCommandLine.run(["query", "state", "--port", path])
            #expect(result.exitCode == 69, "\(result)")
            #expect(result.errors.contains("port \(path) is in use"), "\(result)")

            await holder.close()
            let free = try await BridgeCommandLine.run(["query", "state", "--port", path])
            #expect(free.exitCode == 0, "\(free)")
        }
    }

    /// An unprivileged process is refused by the kernel (TIOCEXCL, EBUSY) before it can try the
    /// lock; root bypasses TIOCEXCL, so this needs the tests to run as root to drop privileges.
    @Test(.enabled(if: BridgeCommandLine.canRunAsNobody))
    func anUnprivilegedProcessKeptOutByExclusiveModeIsToldThePortIsInUse() async throws {
        try await SimulatedBus.withPseudoTerminal { bus in
            let path = try #require(bus.linkPath)
            let device = try FileManager.default.destinationOfSymbolicLink(atPath: path)
            #expect(chmod(device, 0o666) == 0)
            let holder = Link(configuration: LinkConfiguration(port: .serial(path: path)))
            try await holder.open()
            let result = try await BridgeCommandLine.run(["query", "state", "--port", path], asNobody: true)
            #expect(result.exitCode == 69, "\(result)")
            #expect(result.errors.contains("port \(path) is in use"), "\(result)")

            // Closing releases exclusive mode too, although the simulator keeps the device open.
            await holder.close()
            let free = try await BridgeCommandLine.run(["query", "state", "--port", path], asNobody: true)
            #expect(free.exitCode == 0, "\(free)")
        }
    }

    @Test func helpListsTheSubcommands() async throws {
        let result = try await BridgeCommandLine.run(["--help"])
        #expect(result.exitCode == 0, "\(result)")
        for subcommand in ["run", "check-config", "query", "set-time", "archive"] {
            #expect(result.output.contains("  \(subcommand) "), "\(subcommand) missing from\n\(result.output)")
        }
        let query = try await BridgeCommandLine.run(["query", "--help"])
        #expect(query.exitCode == 0)
        #expect(query.output.contains("readings|info|state|energy|time|alarms"))
        #expect(query.output.contains("--json"))
    }
}

import AuroraProtocol
import AuroraTestSupport
import Foundation
import Testing

/// `aurora-sim` run as a subprocess, the way scripts and the demo use it.
@Suite("aurora-sim command")
struct AuroraSimCommandTests {
    /// A running `aurora-sim`: the process (started with `posix_spawn`, waited for on its own
    /// pid) and the file its output goes to.
    private struct Launched {
        let process: ChildProcess
        let output: String
        let directory: TemporaryDirectory
    }

    private func launch(_ arguments: [String]) throws -> Launched {
        let executable = BuiltProduct.path("aurora-sim")
        #expect(FileManager.default.isExecutableFile(atPath: executable), "build aurora-sim first: swift build")
        let directory = try TemporaryDirectory("aurora-sim-cli")
        let output = directory.file("stdout")
        let process = try ChildProcess(
            executable: executable, arguments: arguments, outputPath: output, errorPath: directory.file("stderr"))
        return Launched(process: process, output: output, directory: directory)
    }

    /// The first line the process prints, awaited with a deadline.
    private func firstLine(of launched: Launched) async throws -> String {
        try await Deadline.wait(for: "aurora-sim's first line", timeout: .seconds(10)) {
            let text = (try? String(contentsOfFile: launched.output, encoding: .utf8)) ?? ""
            return text.firstIndex(of: "\n").map { String(text[..<$0]) }
        }
    }

    private func exitStatus(of launched: Launched) async throws -> Int32? {
        try await launched.process.waitForExit(timeout: .seconds(10))
        return launched.process.exitCode
    }

    @Test func servesALinkUntilSIGTERMThenCleansUp() async throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-sim-cli-\(UUID().uuidString)").path
        let sim = try launch([
            "--link", link, "--time-zone", "UTC", "--start", "2026-06-21T13:00:00", "--address", "2", "--address", "7",
        ])
        let slave = try await firstLine(of: sim)
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

        sim.process.send(SIGTERM)
        #expect(try await exitStatus(of: sim) == 0)
        #expect(!FileManager.default.fileExists(atPath: link))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
    }

    @Test func servesTCPAndPrintsTheBoundAddress() async throws {
        let sim = try launch(["--tcp", "127.0.0.1:0", "--always-awake", "--start", "0"])
        let address = try await firstLine(of: sim)
        let port = try #require(address.split(separator: ":").last.flatMap { UInt16($0) })
        #expect(address == "127.0.0.1:\(port)" && port != 0)
        let state = try await Blocking.run {
            let connection = try RawPort.connect(port: port)
            defer { connection.close() }
            return try connection.exchange(.state(address: 2))
        }
        #expect(CRC16.isValid(frame: state))
        sim.process.send(SIGINT)
        #expect(try await exitStatus(of: sim) == 0)
    }

    /// The TCP port a launched `aurora-sim --tcp 127.0.0.1:0` printed.
    private func tcpPort(of launched: Launched) async throws -> UInt16 {
        let address = try await firstLine(of: launched)
        return try #require(address.split(separator: ":").last.flatMap { UInt16($0) })
    }

    /// The replies to `requests`, exchanged one after another on a connection to `port`, each with
    /// the time it took.
    private func timedExchanges(
        _ requests: [Request], port: UInt16
    ) async throws -> [(reply: [UInt8], elapsed: Duration)] {
        try await Blocking.run {
            let connection = try RawPort.connect(port: port)
            defer { connection.close() }
            return try requests.map { request in
                let started = ContinuousClock.now
                return (try connection.exchange(request, timeout: .seconds(10)), ContinuousClock.now - started)
            }
        }
    }

    @Test func lateRepliesComeLateButWhole() async throws {
        let sim = try launch(["--tcp", "127.0.0.1:0", "--always-awake", "--start", "0", "--late-rate", "1", "--late-ms", "300"])
        let port = try await tcpPort(of: sim)
        let (state, elapsed) = try #require(try await timedExchanges([.state(address: 2)], port: port).first)
        #expect(CRC16.isValid(frame: state))
        #expect(elapsed >= .milliseconds(300))
        sim.process.send(SIGINT)
        #expect(try await exitStatus(of: sim) == 0)
    }

    @Test func latencyWithJitterDelaysEveryReplyByAtLeastMeanMinusJitter() async throws {
        let sim = try launch(["--tcp", "127.0.0.1:0", "--always-awake", "--start", "0", "--latency-ms", "300:100"])
        let port = try await tcpPort(of: sim)
        let requests: [Request] = [.state(address: 2), .measure(.gridPower, address: 2), .state(address: 2)]
        let exchanges = try await timedExchanges(requests, port: port)
        #expect(exchanges.allSatisfy { CRC16.isValid(frame: $0.reply) })
        #expect(exchanges.allSatisfy { $0.elapsed >= .milliseconds(200) }, "\(exchanges.map(\.elapsed))")
        sim.process.send(SIGINT)
        #expect(try await exitStatus(of: sim) == 0)
    }

    @Test(arguments: [
        (["--latency-ms", "300:"], "--latency-ms expects MEAN or MEAN:JITTER in milliseconds, e.g. 300:100"),
        (["--alarm", "13@120:0"], "--alarm expects CODE@SECONDS[:DURATION], e.g. 13@120:30"),
    ])
    func aMalformedValueIsRefusedWithTheFormItExpects(option: [String], form: String) async throws {
        let sim = try launch(["--link", "/tmp/unused"] + option)
        #expect(try await exitStatus(of: sim) == 64)
        let errors = try String(contentsOfFile: sim.directory.file("stderr"), encoding: .utf8)
        #expect(errors.contains(form), "\(errors)")
    }

    @Test func alarmsFromTheCommandLineShowInTheStateAndTheLastAlarms() async throws {
        // Both raised at the start: 13 lasts a millisecond (gone before the first request, but in
        // the FIFO), 19 never clears; 50 comes a day later.
        let sim = try launch([
            "--tcp", "127.0.0.1:0", "--always-awake", "--start", "0",
            "--alarm", "19@0", "--alarm", "13@0:0.001", "--alarm", "50@86400:60",
        ])
        let port = try await tcpPort(of: sim)
        let replies = try await timedExchanges([.state(address: 2), Request(address: 2, command: .lastAlarms)], port: port)
        let (state, alarms) = (replies[0].reply, replies[1].reply)
        #expect(CRC16.isValid(frame: state) && CRC16.isValid(frame: alarms))
        #expect(Array(state[1...5]) == [10, 0, 0, 0, 19], "OTH fault, Stand by, DC/DC off, Over temperature")
        #expect(Array(alarms[1...5]) == [10, 3, 1, 19, 13])
        sim.process.send(SIGINT)
        #expect(try await exitStatus(of: sim) == 0)
    }

    @Test(arguments: [
        "13", "0@10", "256@10", "x@1", "@10", "13@", "13@-1", "13@nan", "13@10:0", "13@10:-5", "13@10:",
        "13@10:inf", "13@10:30:5", "13@10@20",
    ])
    func rejectsMalformedAlarmsWithExitCode64(alarm: String) async throws {
        #expect(try await exitStatus(of: try launch(["--link", "/tmp/unused", "--alarm", alarm])) == 64)
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
        ["--late-rate", "2", "--link", "/tmp/unused"],
        ["--link", "/tmp/unused", "--late-ms", "-5"],
        ["--link", "/tmp/unused", "--latency-ms", "300:100:5"],
        ["--link", "/tmp/unused", "--latency-ms", "300:-100"],
        ["--link", "/tmp/unused", "--latency-ms=-300"],
        ["--link", "/tmp/unused", "--latency-ms", "ms"],
        ["--link", "/tmp/unused", "--latency-ms", "300", "--delay-ms", "300"],
    ])
    func rejectsInvalidOptionsWithExitCode64(arguments: [String]) async throws {
        #expect(try await exitStatus(of: try launch(arguments)) == 64)
    }
}

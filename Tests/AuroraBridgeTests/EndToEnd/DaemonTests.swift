import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

/// `aurora-bridge run` as a real process: signals, crashes, reloads, systemd, secrets.
@Suite struct DaemonTests {
    /// A broker, a simulated inverter and a config file for one daemon.
    struct Setup {
        let broker: TestBroker
        let bus: SimulatedBus
        let directory: TemporaryDirectory
        var configuration: TestBridgeConfiguration
        var configPath: String { directory.file("bridge.conf") }

        init(brokerOptions: TestBroker.Options = .init()) async throws {
            broker = try await TestBroker.start(brokerOptions)
            bus = try SimulatedBus.pseudoTerminal()
            directory = try TemporaryDirectory("daemon")
            configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            try write()
        }

        func write() throws {
            try configuration.text.write(toFile: configPath, atomically: true, encoding: .utf8)
        }

        func start(environment: [String: String] = [:]) throws -> BridgeProcess {
            try BridgeProcess(configPath: configPath, logPath: directory.file("bridge.log"), environment: environment)
        }
    }

    @Test func sigtermPublishesOfflineDisconnectsCleanlyAndExitsZero() async throws {
        let setup = try await Setup()
        defer { setup.bus.stop() }
        let subscriber = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/#")
        let bridge = try setup.start()
        try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(15))
        #expect(try await bridge.terminate() == 0, "log: \(bridge.log)")
        try await subscriber.waitForMessage(topic: "aurora/bridge/state") { $0.text == "offline" }
        let late = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/bridge/state")
        #expect(try await late.waitForMessage(topic: "aurora/bridge/state").text == "offline")
        #expect(setup.broker.log().contains("aurora-bridge-test") && !bridge.log.contains("error"))
    }

    @Test func afterSigkillTheBrokerPublishesOfflineWithinOneAndAHalfKeepalives() async throws {
        let setup = try await Setup()
        defer { setup.bus.stop() }
        let subscriber = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/bridge/state")
        let bridge = try setup.start()
        try await subscriber.waitForMessage(topic: "aurora/bridge/state", timeout: .seconds(15)) { $0.text == "online" }
        let killed = ContinuousClock.now
        try await bridge.kill()
        let keepalive = Double(setup.configuration.keepalive)
        try await subscriber.waitForMessage(topic: "aurora/bridge/state", timeout: .seconds(keepalive * 1.5)) { $0.text == "offline" }
        #expect(ContinuousClock.now - killed < .seconds(keepalive * 1.5))
    }

    @Test func sighupReloadsTheConfigurationWithoutGoingOffline() async throws {
        var setup = try await Setup()
        defer { setup.bus.stop() }
        let subscriber = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/#")
        let bridge = try setup.start()
        try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(15))

        // A broken file is reported and the running configuration kept.
        try "[mqtt]\nhots = 1\n".write(toFile: setup.configPath, atomically: true, encoding: .utf8)
        bridge.process.send(SIGHUP)
        try await Deadline.until("the reload error in the log") { bridge.log.contains("keeping the running one") }
        subscriber.clear()
        try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(5))

        setup.configuration.inverters = [.init(name: "attic", address: 2)]
        try setup.write()
        bridge.process.send(SIGHUP)
        try await subscriber.waitForMessage(topic: "aurora/attic/loop", timeout: .seconds(15))

        #expect(
            !subscriber.messages.contains { $0.topic == "aurora/bridge/state" && $0.text == "offline" },
            "bridge log:\n\(bridge.log)\nbroker log:\n\(setup.broker.log())")
        #expect(try await bridge.terminate() == 0, "log: \(bridge.log)")
    }

    @Test func aTakenStatusPortIsReportedAndTheBridgeGoesOnWithoutTheStatusServer() async throws {
        var setup = try await Setup()
        defer { setup.bus.stop() }
        let taken = RefusingPort()  // bound by another socket, without SO_REUSEADDR
        setup.configuration.extra = "[http]\nenabled = true\nlisten = \"127.0.0.1:\(taken.port)\"\n"
        try setup.write()
        let subscriber = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/#")
        let bridge = try setup.start()
        try await bridge.untilLog("the status server's error", timeout: .seconds(15)) {
            $0.contains("error aurora.http:") && $0.contains("listen=127.0.0.1:\(taken.port)") && $0.contains("the status server stopped; the bridge goes on without it")
        }
        subscriber.clear()
        try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(15))
        #expect(try await bridge.terminate() == 0, "log: \(bridge.log)")
    }

    @Test func systemdHearsReadyWatchdogAndStopping() async throws {
        let setup = try await Setup()
        defer { setup.bus.stop() }
        let socket = try NotifySocket(path: setup.directory.file("notify"))
        let bridge = try setup.start(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"])
        try await Deadline.until("READY=1", timeout: .seconds(15)) { socket.received.contains { $0.hasPrefix("READY=1") } }
        try await Deadline.until("two watchdog pings", timeout: .seconds(5)) { socket.received.filter { $0 == "WATCHDOG=1" }.count >= 2 }
        #expect(try await bridge.terminate() == 0)
        try await Deadline.until("STOPPING=1") { socket.received.contains("STOPPING=1") }
    }

    @Test func thePasswordFromTheEnvironmentIsUsedAndNeverPrinted() async throws {
        let secret = "s3cret-\(UUID().uuidString.prefix(8))"
        var setup = try await Setup(brokerOptions: .init(users: ["aurora": secret]))
        defer { setup.bus.stop() }
        setup.configuration.extra = "[log]\nlevel = \"trace\"\n"
        try setup.write()
        // The [mqtt] table of the test configuration has no username: add one.
        let text = try String(contentsOfFile: setup.configPath, encoding: .utf8)
            .replacingOccurrences(of: "[mqtt]\n", with: "[mqtt]\nusername = \"aurora\"\n")
        try text.write(toFile: setup.configPath, atomically: true, encoding: .utf8)
        let subscriber = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/#", credentials: .init(username: "aurora", password: secret))
        let bridge = try setup.start(environment: ["AURORA_BRIDGE_MQTT_PASSWORD": secret])
        try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(15))
        #expect(try await bridge.terminate() == 0)
        #expect(!bridge.log.contains(secret))
        let check = try await CommandRun.bridge(["check-config", "--config", setup.configPath], environment: ["AURORA_BRIDGE_MQTT_PASSWORD": secret])
        #expect(check.status == 0)
        #expect(check.output.contains("<redacted>") && !check.output.contains(secret))
    }

    @Test func thePasswordFromASystemdCredentialLogsIn() async throws {
        let secret = "cred-\(UUID().uuidString.prefix(8))"
        let setup = try await Setup(brokerOptions: .init(users: ["aurora": secret]))
        defer { setup.bus.stop() }
        try setup.write()
        let text = try String(contentsOfFile: setup.configPath, encoding: .utf8)
            .replacingOccurrences(of: "[mqtt]\n", with: "[mqtt]\nusername = \"aurora\"\n")
        try text.write(toFile: setup.configPath, atomically: true, encoding: .utf8)
        // What systemd makes of `LoadCredential=mqtt-password:/etc/aurora-bridge/mqtt-password`.
        let credentials = setup.directory.file("credentials")
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try "\(secret)\n".write(toFile: credentials + "/mqtt-password", atomically: true, encoding: .utf8)
        let subscriber = try await TestSubscriber.connect(to: setup.broker, filter: "aurora/#", credentials: .init(username: "aurora", password: secret))
        let bridge = try setup.start(environment: ["CREDENTIALS_DIRECTORY": credentials])
        try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(15))
        #expect(try await bridge.terminate() == 0)
        #expect(!bridge.log.contains(secret))
    }

    @Test func configurationErrorsNameFileLineAndKeyAndExit78() async throws {
        let directory = try TemporaryDirectory("config")
        let path = directory.file("bridge.conf")
        let cases: [(text: String, message: String)] = [
            ("[mqtt]\nhots = \"x\"\n[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"a\"\naddress = 2\n",
             "bridge.conf:2: [mqtt] hots: unknown key; did you mean \"host\"?"),
            ("[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"a\"\naddress = 64\n",
             "bridge.conf:5: [[inverter]] address:"),
            ("[bus]\nport = \"ftp://x\"\n[[inverter]]\nname = \"a\"\naddress = 2\n",
             "bridge.conf:2: [bus] port: only tcp:// adapters and device paths are supported"),
            ("[bus\nport = 1\n", "bridge.conf:1:"),
        ]
        for (text, message) in cases {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            for command in ["check-config", "run"] {
                let result = try await CommandRun.bridge([command, "--config", path])
                #expect(result.status == 78, "\(command): \(result.output)")
                #expect(result.output.contains(message), "\(command): \(result.output)")
            }
        }
        let missing = try await CommandRun.bridge(["run", "--config", directory.file("absent.conf")])
        #expect(missing.status == 78)
        #expect(missing.output.contains("absent.conf") && missing.output.contains("--config"))
    }
}

/// A one-shot run of a built executable: exit code and combined output.
struct CommandRun {
    let status: Int32?
    let output: String

    /// Runs `aurora-bridge arguments` to completion.
    static func bridge(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandRun {
        let directory = try TemporaryDirectory("run")
        let output = directory.file("output")
        let process = try ChildProcess(executable: BuiltProduct.path("aurora-bridge"), arguments: arguments, outputPath: output, environment: environment)
        try await process.waitForExit(timeout: .seconds(20))
        return CommandRun(status: process.exitCode, output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
}

/// A datagram socket standing in for systemd's notification socket.
final class NotifySocket: Sendable {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    deinit { close(descriptor) }

    private let messages = Locked<[String]>([])

    /// Every datagram received so far.
    var received: [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            messages.withLock { $0.append(text) }
        }
        return messages.value
    }
}

import Foundation
import Mosquitto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real RabbitMQ node with its MQTT plugin for tests (Debian's `rabbitmq-server`), on free
/// loopback ports, with its configuration, database and logs in a temporary folder this process
/// owns (RabbitMQ refuses to run over folders its user does not own).
///
/// ```swift
/// let rabbit = try await TestRabbitMQ.start()       // 10–60 s: an Erlang node boots
/// let client = try MosquittoClient(configuration: rabbit.clientConfiguration(clientID: "bridge"))
/// try await rabbit.stop()
/// ```
///
/// The node has its own name, so it does not meet a system RabbitMQ; it registers with the
/// machine's shared `epmd` (started on port 4369 if none runs, and left running as Erlang
/// does). AMQP is off: only MQTT listens, anonymous clients allowed.
public final class TestRabbitMQ: Sendable {
    /// The server is not installed, or did not come up.
    public struct Failure: Error, CustomStringConvertible {
        /// What happened, with the end of the node's log.
        public let description: String
    }

    /// The server start script, run directly (the `/usr/sbin` wrapper switches to the
    /// `rabbitmq` user, who cannot write this process's folders).
    public static let executable = "/usr/lib/rabbitmq/bin/rabbitmq-server"
    /// Whether `rabbitmq-server` is installed (`make deps` installs it).
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// The MQTT listener's address.
    public let host = "127.0.0.1"
    /// The MQTT listener's port.
    public let port: UInt16
    /// The node's name, unique per instance.
    public let nodeName: String
    private let directory: TemporaryDirectory
    private let process: ChildProcess

    private init(port: UInt16, nodeName: String, directory: TemporaryDirectory, process: ChildProcess) {
        self.port = port
        self.nodeName = nodeName
        self.directory = directory
        self.process = process
    }

    /// Writes the configuration and starts the node, returning once an MQTT client can connect.
    /// - Throws: ``Failure`` if the server is not installed, exits, or is not up within `timeout`.
    public static func start(timeout: Duration = .seconds(180)) async throws -> TestRabbitMQ {
        guard isInstalled else { throw Failure(description: "rabbitmq-server is not installed (make deps installs it)") }
        let directory = try TemporaryDirectory("rabbitmq")
        let port = FreePort.loopback()
        let nodeName = "aurora-test-\(port)@localhost"
        for folder in ["mnesia", "log"] {
            try FileManager.default.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
        }
        try """
            listeners.tcp = none
            mqtt.listeners.tcp.default = 127.0.0.1:\(port)
            mqtt.allow_anonymous = true
            loopback_users = none
            log.file.level = info

            """.write(toFile: directory.file("rabbitmq.conf"), atomically: true, encoding: .utf8)
        try "[rabbitmq_mqtt].\n".write(toFile: directory.file("enabled_plugins"), atomically: true, encoding: .utf8)
        let process = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", watchdog, "sh", executable, "\(getpid())"], outputPath: directory.file("server.out"),
            environment: [
                "HOME": directory.path,  // the Erlang cookie
                "RABBITMQ_NODENAME": nodeName,
                "RABBITMQ_DIST_PORT": "\(FreePort.loopback())",
                "RABBITMQ_CONFIG_FILE": directory.file("rabbitmq.conf"),
                "RABBITMQ_ENABLED_PLUGINS_FILE": directory.file("enabled_plugins"),
                "RABBITMQ_MNESIA_BASE": directory.file("mnesia"),
                "RABBITMQ_LOG_BASE": directory.file("log"),
                "RABBITMQ_PID_FILE": directory.file("rabbitmq.pid"),
            ])
        let rabbit = TestRabbitMQ(port: port, nodeName: nodeName, directory: directory, process: process)
        do {
            try await Deadline.until("RabbitMQ's MQTT listener on \(port)", timeout: timeout, interval: .milliseconds(250)) {
                guard !process.hasExited else {
                    throw Failure(description: "rabbitmq-server exited with status \(process.status ?? -1): \(rabbit.log().suffix(3000))")
                }
                return rabbit.log().contains("started MQTT TCP listener") && TestBroker.acceptsConnections(port)
            }
            // The plugin tracks client ids in a Raft cluster of its own, elected after the
            // listener starts: connect once to know clients are taken.
            try await Deadline.until("RabbitMQ to accept an MQTT client", timeout: .seconds(60), interval: .milliseconds(500)) {
                guard let probe = try? await TestSubscriber.connect(
                    configuration: rabbit.clientConfiguration(clientID: "probe-\(UUID().uuidString.prefix(8))"),
                    filter: "probe", qos: .atLeastOnce, timeout: .seconds(5))
                else { return false }
                await probe.close()
                return true
            }
        } catch let expired as Deadline.Expired {
            throw Failure(description: "\(expired); log: \(rabbit.log().suffix(3000))")
        }
        return rabbit
    }

    deinit {
        // A failed test: the Erlang node is a grandchild (watchdog, start script), so it goes first.
        if !process.hasExited,
            let text = try? String(contentsOfFile: directory.file("rabbitmq.pid"), encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            _ = kill(pid, SIGKILL)
        }
    }

    /// Runs the server (`$1`) while this process (`$2`) lives: a test process that crashes
    /// does not leave an Erlang node behind. SIGTERM stops the server cleanly.
    private static let watchdog = """
        "$1" & server=$!
        trap 'kill -TERM $server; wait $server; exit 0' TERM
        while kill -0 "$2" 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done
        kill -TERM $server 2>/dev/null; wait $server
        """

    /// A client configuration for the MQTT listener, with reconnect delays of 1–2 s.
    public func clientConfiguration(clientID: String? = nil) -> MosquittoConfiguration {
        MosquittoConfiguration(
            host: host, port: Int(port), clientID: clientID,
            reconnect: ReconnectPolicy(minimumDelay: .seconds(1), maximumDelay: .seconds(2)))
    }

    /// Stops the node with SIGTERM (the start script stops it cleanly) and waits for the exit.
    public func stop(timeout: Duration = .seconds(60)) async throws {
        guard !process.hasExited else { return }
        process.send(SIGTERM)
        try await process.waitForExit(timeout: timeout)
    }

    /// The node's log so far.
    public func log() -> String {
        (try? String(contentsOfFile: directory.file("log/\(nodeName).log"), encoding: .utf8)) ?? ""
    }
}

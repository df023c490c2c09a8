import Foundation
import Mosquitto
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real mosquitto broker for tests, on free loopback ports, with its configuration, password
/// file, certificates and log in a temporary directory.
///
/// ```swift
/// let broker = try await TestBroker.start()
/// let client = try MosquittoClient(configuration: broker.clientConfiguration(clientID: "bridge"))
/// try await broker.stop()          // outage…
/// try await broker.start()         // …and back on the same port
/// ```
///
/// The broker is killed and its directory removed when the value is deinitialised, so a
/// failing test leaves nothing behind. Read ``log()`` to see what the broker saw.
public final class TestBroker: Sendable {
    /// What the broker offers besides the plain anonymous listener.
    public struct Options: Sendable {
        /// User name → password. When not empty, the broker requires these credentials
        /// (`allow_anonymous false`, a `password_file` made by `mosquitto_passwd`).
        public var users: [String: String]
        /// Adds a TLS listener on ``TestBroker/tlsPort`` with a CA made at start by `openssl`.
        public var tls: Bool
        /// With ``tls``: require a client certificate signed by the test CA.
        public var requireClientCertificate: Bool
        /// Adds a TLS-PSK listener on ``TestBroker/pskPort`` accepting this identity and hex key.
        public var preSharedKey: (identity: String, hexKey: String)?
        /// Raw lines appended to mosquitto.conf.
        public var extraConfiguration: [String]

        /// Creates options; the default is one anonymous plain listener.
        public init(
            users: [String: String] = [:],
            tls: Bool = false,
            requireClientCertificate: Bool = false,
            preSharedKey: (identity: String, hexKey: String)? = nil,
            extraConfiguration: [String] = []
        ) {
            self.users = users
            self.tls = tls
            self.requireClientCertificate = requireClientCertificate
            self.preSharedKey = preSharedKey
            self.extraConfiguration = extraConfiguration
        }
    }

    /// The broker failed to start, or a fixture tool failed.
    public struct Failure: Error, CustomStringConvertible {
        /// What happened, with the end of the broker's log.
        public let description: String
        /// Whether mosquitto could not bind a port because something else holds it.
        var addressInUse = false
    }

    /// The listeners' address.
    public let host = "127.0.0.1"
    /// The plain MQTT listener (anonymous unless ``Options/users`` is set).
    public var port: UInt16 { listeners.withLock { $0.port } }
    /// The TLS listener, if ``Options/tls``.
    public var tlsPort: UInt16? { listeners.withLock { $0.tlsPort } }
    /// The TLS-PSK listener, if ``Options/preSharedKey``.
    public var pskPort: UInt16? { listeners.withLock { $0.pskPort } }
    /// The generated CA and certificates, if ``Options/tls``.
    public let certificates: TestCertificates?
    /// The temporary directory holding mosquitto.conf and mosquitto.log.
    public let directory: URL
    /// The broker's log (stdout and stderr of every run, appended).
    public var logFile: URL { directory.appendingPathComponent("mosquitto.log") }
    private var configurationFile: URL { directory.appendingPathComponent("mosquitto.conf") }
    private var passwordFile: URL { directory.appendingPathComponent("passwords") }

    private let process = Mutex<ChildProcess?>(nil)
    /// The reserved ports; new ones only while the first start finds a port taken.
    private let listeners: Mutex<Listeners>

    /// The ports of the listeners the options ask for, reserved for the broker's whole life
    /// (see ``ReservedPort``): nobody else can take them while the broker is stopped.
    private struct Listeners: Sendable {
        let plain: ReservedPort
        let tls: ReservedPort?
        let psk: ReservedPort?

        /// Fresh reserved ports for the listeners `options` asks for.
        init(_ options: Options) {
            plain = ReservedPort()
            tls = options.tls ? ReservedPort() : nil
            psk = options.preSharedKey == nil ? nil : ReservedPort()
        }

        var port: UInt16 { plain.port }
        var tlsPort: UInt16? { tls?.port }
        var pskPort: UInt16? { psk?.port }
        var all: [UInt16] { [port] + [tlsPort, pskPort].compactMap { $0 } }
    }

    /// The mosquitto executable.
    public static let executable = "/usr/sbin/mosquitto"

    private init(directory: URL, listeners: Listeners, certificates: TestCertificates?) {
        self.directory = directory
        self.listeners = Mutex(listeners)
        self.certificates = certificates
    }

    /// Writes the configuration (and password file, certificates) and starts the broker,
    /// returning once it accepts TCP connections.
    ///
    /// The ports are reserved first (``ReservedPort``), so other tests' probes cannot take them;
    /// should mosquitto still fail with "Address already in use", the broker is started again
    /// on new ports (up to ``bindAttempts`` times).
    public static func start(_ options: Options = Options(), timeout: Duration = .seconds(10)) async throws -> TestBroker {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let certificates = options.tls ? try await TestCertificates.generate(in: directory) : nil
            let broker = TestBroker(directory: directory, listeners: Listeners(options), certificates: certificates)
            for attempt in 1... {
                try await broker.writeConfiguration(options)
                do {
                    try await broker.launch(timeout: timeout)
                    return broker
                } catch let failure as Failure where failure.addressInUse && attempt < bindAttempts {
                    broker.listeners.withLock { $0 = Listeners(options) }
                }
            }
            preconditionFailure("unreachable: the last attempt returns or throws")
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// How often a start is tried when mosquitto cannot bind its port.
    public static let bindAttempts = 5

    deinit {
        process.withLock { $0 = nil }  // ChildProcess's deinit kills and reaps a running broker
        try? FileManager.default.removeItem(at: directory)
    }

    /// A client configuration for the plain listener: the given client id, and reconnect
    /// delays of 1–2 s so outage tests stay short.
    public func clientConfiguration(clientID: String? = nil) -> MosquittoConfiguration {
        MosquittoConfiguration(
            host: host, port: Int(port), clientID: clientID,
            reconnect: ReconnectPolicy(minimumDelay: .seconds(1), maximumDelay: .seconds(2))
        )
    }

    // MARK: - Running

    /// Whether the broker process is running.
    public var isRunning: Bool { process.withLock { $0.map { !$0.hasExited } ?? false } }

    /// Starts the broker (again, on the same ports) and waits until it accepts TCP connections.
    ///
    /// mosquitto binds with `SO_REUSEADDR`, so connections in TIME_WAIT from the last run do
    /// not block the port, and the broker's ports stay reserved while it is stopped (see
    /// ``ReservedPort``), so no probe of a parallel test takes them. If another server listens on
    /// a port for a moment anyway, the start is tried again after a short pause, up to
    /// ``bindAttempts`` times.
    public func start(timeout: Duration = .seconds(10)) async throws {
        for attempt in 1... {
            do {
                return try await launch(timeout: timeout)
            } catch let failure as Failure where failure.addressInUse && attempt < Self.bindAttempts {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    /// One run of mosquitto on the current ports; returns once this run logged that it is
    /// running and every port accepts connections. (The log matters: when mosquitto cannot bind,
    /// whoever holds the port accepts connections too.)
    private func launch(timeout: Duration) async throws {
        let logStart = (try? FileManager.default.attributesOfItem(atPath: logFile.path)[.size] as? Int) ?? 0
        let launched: ChildProcess = try process.withLock { process in
            if let running = process, !running.hasExited {
                throw Failure(description: "broker already running on port \(port)")
            }
            let broker = try ChildProcess(
                executable: Self.executable, arguments: ["-c", configurationFile.path], outputPath: logFile.path
            )
            process = broker
            return broker
        }
        let ports = listeners.withLock { $0.all }
        let runLog = {
            String(decoding: (try? Data(contentsOf: self.logFile))?.dropFirst(logStart) ?? Data(), as: UTF8.self)
        }
        do {
            try await Deadline.until("mosquitto to listen on \(ports)", timeout: timeout) {
                guard !launched.hasExited else {
                    let output = runLog()
                    throw Failure(
                        description: "mosquitto exited with status \(launched.status ?? -1): \(output.suffix(2000))",
                        addressInUse: output.contains("Address already in use")
                    )
                }
                return runLog().contains(" running") && ports.allSatisfy(Self.acceptsConnections)
            }
        } catch let expired as Deadline.Expired {
            throw Failure(description: "\(expired); log: \(log().suffix(2000))")
        }
    }

    /// Stops the broker with SIGTERM (it closes connections cleanly; wills of connected
    /// clients are not sent) and waits until it has exited.
    public func stop(timeout: Duration = .seconds(10)) async throws {
        try await signal(SIGTERM, timeout: timeout)
    }

    /// Kills the broker with SIGKILL, as a crash or power loss would, and waits until it has exited.
    public func kill(timeout: Duration = .seconds(10)) async throws {
        try await signal(SIGKILL, timeout: timeout)
    }

    private func signal(_ number: Int32, timeout: Duration) async throws {
        guard let running = process.withLock({ $0 }) else { return }
        running.send(number)
        try await running.waitForExit(timeout: timeout)
    }

    /// Adds `user` with `password` to the password file, or changes the password; takes effect
    /// after ``reload()``. Only for brokers started with ``Options/users``.
    public func setPassword(_ password: String, for user: String) async throws {
        try await ExternalTool.run(Self.passwordTool(), ["-b", passwordFile.path, user, password])
    }

    private static func passwordTool() throws -> String {
        guard let tool = ExternalTool.find("mosquitto_passwd") else {
            throw Failure(description: "mosquitto_passwd is not installed (package mosquitto)")
        }
        return tool
    }

    /// Sends SIGHUP: mosquitto re-reads its password file and ACL, keeping its connections.
    public func reload() {
        process.withLock { $0?.send(SIGHUP) }
    }

    /// Everything the broker has logged so far.
    public func log() -> String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    // MARK: - Files

    private func writeConfiguration(_ options: Options) async throws {
        var lines = [
            "# written by AuroraTestSupport.TestBroker",
            "persistence false",
            "log_dest stderr",
            "log_type all",
            "log_timestamp_format %H:%M:%S",
            "allow_anonymous \(options.users.isEmpty)",
        ]
        if geteuid() == 0 {
            lines.append("user root")  // otherwise mosquitto drops to user "mosquitto" and cannot read our files
        }
        if !options.users.isEmpty {
            let passwordFile = passwordFile.path
            let tool = try Self.passwordTool()
            for (index, (user, password)) in options.users.sorted(by: { $0.key < $1.key }).enumerated() {
                try await ExternalTool.run(tool, (index == 0 ? ["-c"] : []) + ["-b", passwordFile, user, password])
            }
            lines.append("password_file \(passwordFile)")
        }
        lines.append("listener \(port) \(host)")
        if let tlsPort, let certificates {
            lines += [
                "listener \(tlsPort) \(host)",
                "cafile \(certificates.caFile)",
                "certfile \(certificates.serverCertificateFile)",
                "keyfile \(certificates.serverKeyFile)",
                "require_certificate \(options.requireClientCertificate)",
            ]
        }
        if let pskPort, let key = options.preSharedKey {
            let pskFile = directory.appendingPathComponent("psk").path
            try "\(key.identity):\(key.hexKey)\n".write(toFile: pskFile, atomically: true, encoding: .utf8)
            lines += ["listener \(pskPort) \(host)", "psk_hint aurora-test", "psk_file \(pskFile)"]
        }
        lines += options.extraConfiguration
        try (lines.joined(separator: "\n") + "\n").write(to: configurationFile, atomically: true, encoding: .utf8)
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port` right now.
    static func acceptsConnections(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

import AuroraBridge
import AuroraTestSupport
import Foundation
import Testing

/// How the bridge is deployed: TLS to the broker, MQTT 5, the systemd unit.
@Suite struct DeploymentTests {
    @Test(.enabled(if: TestCertificates.openssl != nil, "needs the openssl command to make a test CA"))
    func publishesOverTLSWithAClientCertificate() async throws {
        let broker = try await TestBroker.start(.init(tls: true, requireClientCertificate: true))
        let certificates = try #require(broker.certificates)
        let directory = try TemporaryDirectory("tls")
        try await SimulatedBus.withPseudoTerminal { bus in
            var configuration = TestBridgeConfiguration(brokerPort: Int(try #require(broker.tlsPort)), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            configuration.extra = """
                [mqtt.tls]
                ca_file = "\(certificates.caFile)"
                cert_file = "\(certificates.clientCertificateFile)"
                key_file = "\(certificates.clientKeyFile)"
                """
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try parse(configuration)) {
                let power = try await subscriber.waitForMessage(topic: "aurora/roof/loop/gridPower", timeout: .seconds(15))
                #expect(power.text == bus.snapshot()!.measures[.gridPower]!.description)
            }
        }
    }

    @Test func publishesWithMQTT5() async throws {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("mqtt5")
        try await SimulatedBus.withPseudoTerminal { bus in
            let configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            let text = configuration.text.replacingOccurrences(of: "[mqtt]\n", with: "[mqtt]\nprotocol = \"5\"\n")
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
            try await withBridge(try BridgeConfiguration.parse(text, file: "test.conf", environment: [:])) {
                try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(15))
            }
            #expect(broker.log().contains("p5"), "the broker logs the protocol version of each client (p5 = MQTT 5)")
        }
    }

    /// The unit, and an instance of the template as `systemctl enable aurora-bridge@roof` makes it.
    static let units = [("aurora-bridge.service", "aurora-bridge.service"), ("aurora-bridge@.service", "aurora-bridge@roof.service")]

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "needs systemd-analyze"), arguments: units)
    func theSystemdUnitsVerify(file: String, instance: String) async throws {
        let directory = try TemporaryDirectory("unit")
        let unit = try String(contentsOf: BuiltProduct.packageRoot.appendingPathComponent("systemd/\(file)"), encoding: .utf8)
        #expect(unit.contains("Type=notify") && unit.contains("WatchdogSec=") && unit.contains("StateDirectory=aurora-bridge"))
        #expect(unit.contains("SupplementaryGroups=dialout") && unit.contains("Restart=on-failure"))
        #expect(unit.contains("Wants=network-online.target time-sync.target") && unit.contains("After=network-online.target time-sync.target"))
        // Verify a copy whose ExecStart points at the binary just built.
        let path = directory.file(instance)
        try unit.replacingOccurrences(of: "/usr/local/bin/aurora-bridge", with: BuiltProduct.path("aurora-bridge"))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let verifyLog = try await Self.systemdAnalyze(["verify", "--man=no", path], in: directory)
        #expect(verifyLog.exitCode == 0, "\(verifyLog.output)")
        #expect(!verifyLog.output.contains("\(instance):"), "no warning about the unit: \(verifyLog.output)")
        let security = try await Self.systemdAnalyze(["security", "--offline=true", path], in: directory)
        let exposure = security.output.split(separator: "\n").last { $0.contains("Overall exposure level") }
            .flatMap { $0.split(separator: ":").last?.split(separator: " ").first }.flatMap { Double($0) }
        #expect(try #require(exposure, "\(security.output)") <= 1.6, "systemd-analyze security exposure stays at or below 1.6")
    }

    @Test func theTemplateGivesEachInstanceItsOwnConfigurationAndStateDirectory() throws {
        let unit = try String(contentsOf: BuiltProduct.packageRoot.appendingPathComponent("systemd/aurora-bridge@.service"), encoding: .utf8)
        #expect(unit.contains("--config /etc/aurora-bridge/%i.conf"))
        #expect(unit.contains("StateDirectory=aurora-bridge/%i\n"))
    }

    private static func systemdAnalyze(_ arguments: [String], in directory: TemporaryDirectory) async throws -> (exitCode: Int32?, output: String) {
        let output = directory.file("systemd-analyze-\(arguments[0]).log")
        let process = try ChildProcess(executable: "/usr/bin/systemd-analyze", arguments: arguments, outputPath: output)
        try await process.waitForExit(timeout: .seconds(30))
        return (process.exitCode, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
}

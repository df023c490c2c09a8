import Foundation
import Logging
import Testing

@testable import AuroraBridge

@Suite struct BridgeConfigurationTests {
    @Test func minimalConfigurationHasTheDocumentedDefaults() throws {
        let configuration = try parse(minimalConfig)
        #expect(
            configuration
                == BridgeConfiguration(
                    bus: .init(port: .serial(path: "/dev/ttyUSB0")), inverters: [.init(name: "inverter", address: 2)]))

        let mqtt = configuration.mqtt
        #expect(mqtt.host == "localhost")
        #expect(mqtt.port == 1883)
        #expect(mqtt.clientID == "aurora-bridge")
        #expect(mqtt.username == nil && mqtt.passwordFile == nil && mqtt.password == nil)
        #expect(mqtt.keepalive == .seconds(60))
        #expect(mqtt.qos == 1)
        #expect(mqtt.protocolVersion == .v3_1_1)
        #expect(mqtt.reconnectMin == .seconds(1) && mqtt.reconnectMax == .seconds(60))
        #expect(mqtt.tls == nil)

        let topics = configuration.topics
        #expect(topics.prefix == "aurora")
        #expect(topics.bridgeState.source == "{prefix}/bridge/state")
        #expect(topics.bridgeStats.source == "{prefix}/bridge/stats")
        #expect(topics.availability.source == "{prefix}/{inverter}/availability")
        #expect(topics.loopField.source == "{prefix}/{inverter}/loop/{field}")
        #expect(topics.loop.source == "{prefix}/{inverter}/loop")
        #expect(topics.archive.source == "{prefix}/{inverter}/archive")
        #expect(topics.archiveField.source == "{prefix}/{inverter}/archive/{field}")
        #expect(topics.state.source == "{prefix}/{inverter}/state")
        #expect(topics.info.source == "{prefix}/{inverter}/info")
        #expect(configuration.homeAssistant == .init(discovery: .device, discoveryPrefix: "homeassistant", expireAfter: .zero, nodeID: nil, allEntities: true))

        #expect(configuration.retain == .init(loop: true, archive: true, state: true, info: true, availability: true))
        #expect(configuration.stats.interval == .seconds(60))

        let bus = configuration.bus
        #expect(bus.port == .serial(path: "/dev/ttyUSB0"))
        #expect(bus.baudrate == 19200)
        #expect(bus.readTimeout == .seconds(2))
        #expect(bus.commandDelay == .zero)
        #expect(bus.maxTries == 3)

        #expect(configuration.inverters == [.init(name: "inverter", address: 2, model: nil, pollInterval: .seconds(10))])
        #expect(configuration.fields.exclude.isEmpty && configuration.fields.rename.isEmpty)

        let archive = configuration.archive
        #expect(archive.interval == .seconds(300))
        #expect(archive.database == "/var/lib/aurora-bridge/archive.sqlite")
        #expect(archive.keepDays == 365)
        #expect(configuration.log.level == .info)
    }

    @Test func learnTimeoutChoosesTheLinksReplyTimeout() throws {
        #expect(try parse(minimalConfig).linkConfiguration.learnsReplyTimeout, "learned by default")
        let fixed = try parse(minimalConfig.replacingOccurrences(of: "[bus]\n", with: "[bus]\nlearn_timeout = false\n"))
        #expect(!fixed.bus.learnTimeout && !fixed.linkConfiguration.learnsReplyTimeout)
        #expect(fixed.linkConfiguration.readTimeout == .seconds(2))
    }

    @Test func defaultExtractors() throws {
        let archive = try parse(minimalConfig).archive
        #expect(archive.extractor(for: "gridPower") == .avg)
        #expect(archive.extractor(for: "energy") == .sum)
        for field in ["dayEnergy", "weekEnergy", "monthEnergy", "yearEnergy", "totalEnergy", "partialEnergy",
                      "inverterDateTime"] {
            #expect(archive.extractor(for: field) == .last, "\(field)")
        }
        #expect(Set(archive.extractors.keys) == Set(BridgeConfiguration.Fields.known))
    }

    @Test func knownFieldsAreThePolledMeasuresEnergiesClockAndEnergy() {
        let known = BridgeConfiguration.Fields.known
        #expect(known.count == 25 + 6 + 2)
        #expect(Set(known).count == known.count)
        #expect(known.contains("gridPower") && known.contains("totalEnergy") && known.contains("inverterDateTime"))
        #expect(known.last == "energy")
    }

    static let everyKey = """
        [mqtt]
        host = "broker.example"
        port = 18883
        client_id = "bridge-1"
        username = "aurora"
        keepalive = 30
        qos = 2
        protocol = "5"
        reconnect_min = 2
        reconnect_max = 120

        [topics]
        prefix = "home/solar"
        bridge_state = "{prefix}/bridge"
        bridge_stats = "{prefix}/bridge/counters"
        availability = "{prefix}/{inverter}/status"
        loop_field = "{prefix}/{address}/{field}"
        loop = "{prefix}/{inverter}/json"
        archive = "{prefix}/{inverter}/summary"
        archive_field = "{prefix}/{inverter}/summary/{field}"
        state = "{prefix}/{inverter}/states"
        info = "{prefix}/{inverter}/about"

        [homeassistant]
        discovery = false
        discovery_prefix = "ha"
        expire_after = 900

        [retain]
        loop = false
        archive = false
        state = false
        info = false
        availability = false

        [stats]
        interval = 0.5

        [bus]
        port = "tcp://192.168.1.50:8899"
        baudrate = 9600
        read_timeout = 0.25
        command_delay = 0.05
        max_tries = 5

        [[inverter]]
        name = "roof"
        address = 2
        model = "PVI-3.6-OUTD"
        poll_interval = 0.5

        [[inverter]]
        name = "garage_2"
        address = 63

        [fields]
        exclude = ["leakCurrent", "gridnphVoltage"]
        rename = { gridPower = "power", "dayEnergy" = "energy-today" }

        [archive]
        interval = 60
        database = "/tmp/archive.sqlite"
        keep_days = 30

        [archive.extractors]
        gridPower = "max"
        inverterTemp = "min"
        energy = "count"

        [log]
        level = "debug"
        """

    @Test func everyKeyIsParsed() throws {
        let configuration = try parse(Self.everyKey)
        #expect(
            configuration.mqtt
                == .init(
                    host: "broker.example", port: 18883, clientID: "bridge-1", username: "aurora", keepalive: .seconds(30),
                    qos: 2, protocolVersion: .v5, reconnectMin: .seconds(2), reconnectMax: .seconds(120)))
        let topics = configuration.topics
        #expect(topics.prefix == "home/solar")
        #expect(topics.bridgeState.render(prefix: topics.prefix) == "home/solar/bridge")
        #expect(topics.bridgeStats.source == "{prefix}/bridge/counters")
        #expect(topics.availability.source == "{prefix}/{inverter}/status")
        #expect(topics.loopField.render(prefix: "p", inverter: "roof", address: 2, field: "power") == "p/2/power")
        #expect(topics.loop.source == "{prefix}/{inverter}/json")
        #expect(topics.archive.source == "{prefix}/{inverter}/summary")
        #expect(topics.archiveField.source == "{prefix}/{inverter}/summary/{field}")
        #expect(topics.state.source == "{prefix}/{inverter}/states")
        #expect(topics.info.source == "{prefix}/{inverter}/about")
        #expect(configuration.homeAssistant == .init(discovery: .off, discoveryPrefix: "ha", expireAfter: .seconds(900)))
        #expect(configuration.retain == .init(loop: false, archive: false, state: false, info: false, availability: false))
        #expect(configuration.stats.interval == .milliseconds(500))
        #expect(
            configuration.bus
                == .init(
                    port: .tcp(host: "192.168.1.50", port: 8899), baudrate: 9600, readTimeout: .milliseconds(250),
                    commandDelay: .milliseconds(50), maxTries: 5))
        #expect(
            configuration.inverters == [
                .init(name: "roof", address: 2, model: "PVI-3.6-OUTD", pollInterval: .milliseconds(500)),
                .init(name: "garage_2", address: 63),
            ])
        #expect(configuration.fields.exclude == ["leakCurrent", "gridnphVoltage"])
        #expect(configuration.fields.rename == ["gridPower": "power", "dayEnergy": "energy-today"])
        #expect(configuration.fields.publishedName(of: "gridPower") == "power")
        #expect(configuration.fields.publishedName(of: "leakCurrent") == nil)
        #expect(configuration.fields.publishedName(of: "gridVoltage") == "gridVoltage")
        let archive = configuration.archive
        #expect(archive.interval == .seconds(60) && archive.database == "/tmp/archive.sqlite" && archive.keepDays == 30)
        #expect(archive.extractor(for: "gridPower") == .max)
        #expect(archive.extractor(for: "inverterTemp") == .min)
        #expect(archive.extractor(for: "energy") == .count)
        #expect(archive.extractor(for: "dayEnergy") == .last)
        #expect(configuration.log.level == .debug)
    }

    @Test func tlsTableTurnsTLSOnAndMovesTheDefaultPort() throws {
        let configuration = try parse(
            minimalConfig + """
                [mqtt.tls]
                ca_file = "/etc/ssl/certs/ca.pem"
                cert_file = "/etc/aurora-bridge/client.crt"
                key_file = "/etc/aurora-bridge/client.key"
                insecure = true
                """)
        #expect(configuration.mqtt.port == 8883)
        #expect(
            configuration.mqtt.tls
                == .init(
                    caFile: "/etc/ssl/certs/ca.pem", certFile: "/etc/aurora-bridge/client.crt",
                    keyFile: "/etc/aurora-bridge/client.key", insecure: true))
        let explicitPort = try parse(minimalConfig + "[mqtt]\nport = 1884\ntls = { ca_path = \"/etc/ssl/certs\" }\n")
        #expect(explicitPort.mqtt.port == 1884)
        #expect(explicitPort.mqtt.tls == .init(caPath: "/etc/ssl/certs"))
        let disabled = try parse(minimalConfig + "[mqtt.tls]\nenabled = false\nca_file = \"/x.pem\"\n")
        #expect(disabled.mqtt.tls == nil && disabled.mqtt.port == 1883)
    }

    @Test func fieldsAndExtractorsAcceptSubTables() throws {
        let configuration = try parse(
            minimalConfig + """
                [fields.rename]
                gridPower = "power"
                [archive]
                extractors = { gridPower = "max" }
                """)
        #expect(configuration.fields.rename == ["gridPower": "power"])
        #expect(configuration.archive.extractor(for: "gridPower") == .max)
    }

    @Test func passwordComesFromTheEnvironment() throws {
        let configuration = try parse(
            minimalConfig + "[mqtt]\nusername = \"aurora\"\n",
            environment: [BridgeConfiguration.passwordVariable: "s3cret"])
        #expect(configuration.mqtt.password?.revealed == "s3cret")
        #expect(configuration.mqtt.password?.source == "environment variable AURORA_BRIDGE_MQTT_PASSWORD")
        #expect("\(configuration.mqtt.password!)" == "<redacted>")
        #expect(!"\(configuration)".contains("s3cret"))
    }

    @Test func environmentPasswordBeatsPasswordFile() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("mqtt-password")
            try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
            let text = minimalConfig + "[mqtt]\nusername = \"aurora\"\npassword_file = \"\(file.path)\"\n"

            let fromFile = try parse(text)
            #expect(fromFile.mqtt.password == Secret("from-file", source: "file \(file.path)"))
            #expect(fromFile.mqtt.passwordFile == file.path)

            let fromEnvironment = try parse(text, environment: [BridgeConfiguration.passwordVariable: "from-env"])
            #expect(fromEnvironment.mqtt.password?.revealed == "from-env")

            let emptyVariable = try parse(text, environment: [BridgeConfiguration.passwordVariable: ""])
            #expect(emptyVariable.mqtt.password?.revealed == "from-file")
        }
    }

    @Test func passwordFileKeepsInnerSpacesAndDropsCRLF() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("pw")
            try "pass word \r\n".write(to: file, atomically: true, encoding: .utf8)
            let configuration = try parse(
                minimalConfig + "[mqtt]\nusername = \"u\"\npassword_file = \"\(file.path)\"\n")
            #expect(configuration.mqtt.password?.revealed == "pass word ")
        }
    }

    @Test func pskIsReadFromItsFile() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("psk")
            try "1a2B3c\n".write(to: file, atomically: true, encoding: .utf8)
            let configuration = try parse(
                minimalConfig + "[mqtt.tls]\npsk_identity = \"bridge\"\npsk_file = \"\(file.path)\"\n")
            #expect(configuration.mqtt.tls?.psk?.revealed == "1a2B3c")
            #expect(configuration.mqtt.tls?.pskIdentity == "bridge")
        }
    }

    @Test func loadReadsARealFile() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("bridge.conf")
            try minimalConfig.write(to: file, atomically: true, encoding: .utf8)
            let configuration = try BridgeConfiguration.load(path: file.path, environment: [:])
            #expect(configuration.inverters.map(\.name) == ["inverter"])

            try (minimalConfig + "[mqtt]\nhots = \"x\"\n").write(to: file, atomically: true, encoding: .utf8)
            #expect {
                try BridgeConfiguration.load(path: file.path, environment: [:])
            } throws: { error in
                "\(error)" == "\(file.path):8: [mqtt] hots: unknown key; did you mean \"host\"?"
            }
        }
    }

    @Test func missingFileNamesThePathAndSuggestsConfigOption() {
        #expect {
            try BridgeConfiguration.load(path: "/nonexistent/aurora/bridge.conf", environment: [:])
        } throws: { error in
            "\(error)"
                == "/nonexistent/aurora/bridge.conf: cannot read the configuration: no such file; "
                + "create it from the sample bridge.conf, or give another file with --config"
        }
    }

    @Test func effectiveTOMLRedactsSecretsAndRoundTrips() throws {
        try withTemporaryDirectory { directory in
            let passwordFile = directory.appendingPathComponent("pw")
            try "file-secret\n".write(to: passwordFile, atomically: true, encoding: .utf8)
            let pskFile = directory.appendingPathComponent("psk")
            try "abcdef0123\n".write(to: pskFile, atomically: true, encoding: .utf8)
            let environment = [BridgeConfiguration.passwordVariable: "env-secret"]
            let text = Self.everyKey + """

                [mqtt.tls]
                psk_identity = "bridge"
                psk_file = "\(pskFile.path)"
                """
            let withPasswordFile = text.replacingOccurrences(
                of: "username = \"aurora\"", with: "username = \"aurora\"\npassword_file = \"\(passwordFile.path)\"")
            for (source, environment) in [(withPasswordFile, environment), (withPasswordFile, [:]), (minimalConfig, [:])] {
                let configuration = try parse(source, environment: environment)
                let rendered = configuration.effectiveTOML
                #expect(!rendered.contains("env-secret") && !rendered.contains("file-secret"))
                #expect(!rendered.contains("abcdef0123"))
                let reparsed = try parse(rendered, environment: environment)
                #expect(reparsed == configuration, "\(rendered)")
            }
            let rendered = try parse(withPasswordFile, environment: environment).effectiveTOML
            #expect(rendered.contains("# password = \"<redacted>\"  (from environment variable AURORA_BRIDGE_MQTT_PASSWORD)"))
            #expect(rendered.contains("# psk = \"<redacted>\"  (from file \(pskFile.path))"))
        }
    }

    @Test func effectiveTOMLOfTheDefaults() throws {
        let rendered = try parse(minimalConfig).effectiveTOML
        #expect(rendered.contains("[mqtt]\nhost = \"localhost\"\nport = 1883\n"))
        #expect(rendered.contains("# username: not set\n# password_file: not set\n"))
        #expect(rendered.contains("[mqtt.tls]\nenabled = false\n"))
        #expect(rendered.contains("loop_field = \"{prefix}/{inverter}/loop/{field}\""))
        #expect(rendered.contains("[[inverter]]\nname = \"inverter\"\naddress = 2\n# model: not set\npoll_interval = 10\n"))
        #expect(rendered.contains("exclude = []\nrename = {}\n"))
        #expect(rendered.contains("[homeassistant]\ndiscovery = \"device\"\ndiscovery_prefix = \"homeassistant\"\nexpire_after = 0\n# node_id: not set\nall_entities = true\n"))
        #expect(rendered.contains("energy = \"sum\""))
        #expect(rendered.hasSuffix(
            "[log]\nlevel = \"info\"\n\n[http]\nenabled = false\nlisten = \"127.0.0.1:8480\"\n"
                + "# username: not set\n# password_file: not set\n"))
    }

    // MARK: - The sample bridge.conf

    static let samplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("bridge.conf").path

    @Test func sampleFileLoads() throws {
        let configuration = try BridgeConfiguration.load(path: Self.samplePath, environment: [:])
        #expect(configuration.bus.port == .serial(path: "/dev/ttyUSB0"))
        #expect(configuration.inverters == [.init(name: "inverter", address: 2)])
        #expect(configuration == (try parse(minimalConfig)))
    }

    /// Every `#key = value` line of the sample shows the default: uncommenting them all changes nothing.
    @Test func sampleFileDocumentsTheTrueDefaults() throws {
        let sample = try String(contentsOfFile: Self.samplePath, encoding: .utf8)
        var uncommented = 0
        let lines = sample.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard line.hasPrefix("#"), let next = line.dropFirst().first, next.isLetter || next == "[" else {
                return String(line)
            }
            uncommented += 1
            return String(line.dropFirst())
        }
        #expect(uncommented > 30)
        let configuration = try parse(lines.joined(separator: "\n"))
        #expect(configuration == (try parse(minimalConfig)))
    }

    @Test func sampleFileMentionsEveryKey() throws {
        let sample = try String(contentsOfFile: Self.samplePath, encoding: .utf8)
        let rendered = try parse(minimalConfig).effectiveTOML
        let keys = rendered.split(separator: "\n").compactMap { line -> String? in
            let text = line.hasPrefix("# ") ? line.dropFirst(2) : line[...]
            guard let end = text.firstIndex(where: { $0 == " " || $0 == ":" }), !text.hasPrefix("[") else { return nil }
            return String(text[..<end])
        }
        for key in Set(keys).subtracting(BridgeConfiguration.Fields.known + ["aurora-bridge", "password"]) {
            #expect(sample.contains("\(key) = "), "bridge.conf does not document \(key)")
        }
    }
}

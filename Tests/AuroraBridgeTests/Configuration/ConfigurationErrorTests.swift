import AuroraLink
import Testing

@testable import AuroraBridge

@Suite struct ConfigurationErrorTests {
    @Test func syntaxErrorCarriesLineAndColumn() {
        let found = problems("[bus]\nport = \"/dev/ttyUSB0\"\naddress = = 2\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.column != nil)
        #expect(found.first?.description.hasPrefix("bridge.conf:3:") == true)
        #expect(found.first?.message.hasPrefix("TOML syntax error: ") == true)
        #expect(problem(minimalConfig + "[bus]\n").hasPrefix("bridge.conf:7:"))
    }

    @Test func unknownKeySuggestsTheNearest() {
        #expect(
            problem(minimalConfig + "[mqtt]\nhots = \"broker\"\n")
                == "bridge.conf:8: [mqtt] hots: unknown key; did you mean \"host\"?")
        #expect(
            problem(minimalConfig + "[mqtt]\nclientId = \"x\"\n")
                == "bridge.conf:8: [mqtt] clientId: unknown key; did you mean \"client_id\"?")
    }

    @Test func unknownKeyFarFromAnyListsTheAllowedOnes() {
        #expect(
            problem(minimalConfig + "[stats]\nfrequency = 5\n")
                == "bridge.conf:8: [stats] frequency: unknown key; allowed keys: interval")
    }

    @Test func unknownTableSuggestsTheNearest() {
        #expect(
            problem(minimalConfig + "\n[mqtts]\nhost = \"x\"\n")
                == "bridge.conf:8: [mqtts]: unknown table; did you mean [mqtt]?")
        #expect(
            problem(minimalConfig + "[mqtt.tsl]\nca_file = \"/x\"\n")
                == "bridge.conf:7: [mqtt.tsl]: unknown table; did you mean [mqtt.tls]?")
        #expect(
            problem(minimalConfig + "[[inverters]]\nname = \"b\"\naddress = 3\n")
                == "bridge.conf:7: [[inverters]]: unknown table; did you mean [[inverter]]?")
    }

    @Test func rootKeyIsUnknown() {
        #expect(
            problem("debug = true\n" + minimalConfig)
                == "bridge.conf:1: debug: unknown key; allowed tables: [mqtt], [topics], [homeassistant], [retain], "
                + "[stats], [bus], [[inverter]], [fields], [archive], [commands], [log], [plant], [http]")
    }

    @Test func wrongTypeNamesWhatIsExpected() {
        #expect(
            problem(minimalConfig + "[mqtt]\nport = \"abc\"\n")
                == "bridge.conf:8: [mqtt] port: expected an integer from 1 to 65535, got \"abc\"")
        #expect(
            problem(minimalConfig + "[retain]\nloop = \"yes\"\n")
                == "bridge.conf:8: [retain] loop: expected true or false, got \"yes\"")
        #expect(
            problem(minimalConfig + "[mqtt]\nhost = 5\n")
                == "bridge.conf:8: [mqtt] host: expected a host name or address, got 5")
        #expect(
            problem(minimalConfig + "[mqtt]\nprotocol = 5\n")
                == "bridge.conf:8: [mqtt] protocol: expected one of \"3.1.1\", \"5\", got 5")
        #expect(
            problem(minimalConfig + "[mqtt]\ntls = true\n")
                == "bridge.conf:8: [mqtt] tls: expected a table, got true")
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\n[inverter]\nname = \"a\"\naddress = 2\n")
                == "bridge.conf:3: inverter: expected one or more [[inverter]] tables, got a table")
        #expect(
            problem("inverter = []\n[bus]\nport = \"/dev/ttyUSB0\"\n")
                == "bridge.conf:1: inverter: expected one or more [[inverter]] tables, got an array")
    }

    @Test func outOfRangeValues() {
        #expect(
            problem(minimalConfig + "[mqtt]\nport = 70000\n")
                == "bridge.conf:8: [mqtt] port: expected an integer from 1 to 65535, got 70000")
        #expect(problem(minimalConfig + "[mqtt]\nqos = 3\n") == "bridge.conf:8: [mqtt] qos: expected an integer from 0 to 2, got 3")
        #expect(
            problem(minimalConfig + "[mqtt]\nkeepalive = 2.5\n")
                == "bridge.conf:8: [mqtt] keepalive: expected a whole number of seconds from 5 to 65535, got 2.5")
        #expect(
            problem(minimalConfig + "[mqtt]\nreconnect_min = 10\nreconnect_max = 5\n")
                == "bridge.conf:9: [mqtt] reconnect_max: must be at least reconnect_min (10), got 5")
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\nbaudrate = 12345\n[[inverter]]\nname = \"a\"\naddress = 2\n")
                == "bridge.conf:3: [bus] baudrate: expected one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, "
                + "115200, got 12345")
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\nmax_tries = 0\n[[inverter]]\nname = \"a\"\naddress = 2\n")
                == "bridge.conf:3: [bus] max_tries: expected an integer from 1 to 10, got 0")
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"a\"\naddress = 64\n")
                == "bridge.conf:5: [[inverter]] address: expected an integer from 1 to 63, got 64")
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"a\"\naddress = 2\npoll_interval = 0\n")
                == "bridge.conf:6: [[inverter]] poll_interval: expected a number of seconds from 0.001 to 604800, got 0")
        #expect(
            problem(minimalConfig + "[archive]\ninterval = 0.5\n")
                == "bridge.conf:8: [archive] interval: expected a whole number of seconds from 1 to 86400, got 0.5")
        #expect(
            problem(minimalConfig + "[archive]\nkeep_days = 0\n")
                == "bridge.conf:8: [archive] keep_days: expected an integer from 1 to 36500, got 0")
        #expect(
            problem(minimalConfig + "[log]\nlevel = \"warn\"\n")
                == "bridge.conf:8: [log] level: expected one of \"trace\", \"debug\", \"info\", \"notice\", "
                + "\"warning\", \"error\", \"critical\", got \"warn\"; did you mean \"warning\"?")
    }

    @Test func missingRequiredKeysNameTheTableAndItsLine() {
        #expect(
            problem("[bus]\nbaudrate = 9600\n\n[[inverter]]\nname = \"a\"\naddress = 2\n")
                == "bridge.conf:1: [bus] port: missing; set the serial device or adapter, e.g. "
                + "port = \"/dev/ttyUSB0\" or port = \"tcp://192.168.1.50:8899\"")
        #expect(
            problem("[[inverter]]\nname = \"a\"\naddress = 2\n")
                == "bridge.conf: [bus]: missing table; it needs at least port = \"/dev/ttyUSB0\" (or \"tcp://host:port\")")
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\n\n[[inverter]]\nname = \"a\"\n")
                == "bridge.conf:4: [[inverter]]: missing address; every inverter needs a name (for topics) "
                + "and its RS485 address (1 to 63)")
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\n")
                == "bridge.conf: [[inverter]]: missing; configure at least one inverter, e.g. [[inverter]] with "
                + "name = \"inverter\" and address = 2")
    }

    @Test func duplicateInverterNamesAndAddresses() {
        let text = """
            [bus]
            port = "/dev/ttyUSB0"

            [[inverter]]
            name = "roof"
            address = 2

            [[inverter]]
            name = "roof"
            address = 2
            """
        #expect(
            problems(text).map(\.description) == [
                "bridge.conf:9: [[inverter]] name: \"roof\" is already the name of another inverter (line 5); "
                    + "names must be unique",
                "bridge.conf:10: [[inverter]] address: 2 is already the address of inverter \"roof\" (line 6); "
                    + "addresses must be unique on the bus",
            ])
    }

    @Test func inverterNameMustBeTopicSafe() {
        #expect(
            problem("[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"Roof/East\"\naddress = 2\n")
                == "bridge.conf:4: [[inverter]] name: expected lowercase letters, digits, \"-\" and \"_\" "
                + "(it is used in topics), got \"Roof/East\"")
    }

    @Test func badTemplateToken() {
        #expect(
            problem(minimalConfig + "[topics]\nloop = \"{prefix}/{inverterr}/loop\"\n")
                == "bridge.conf:8: [topics] loop: unknown placeholder {inverterr}; did you mean {inverter}?")
        #expect(
            problem(minimalConfig + "[topics]\nloop_field = \"{prefix}/{inverter}/loop\"\n")
                == "bridge.conf:8: [topics] loop_field: must contain {field} (one topic per field), "
                + "got \"{prefix}/{inverter}/loop\"")
        #expect(
            problem(minimalConfig + "[topics]\nstate = \"{prefix}/{inverter}/{field}\"\n")
                == "bridge.conf:8: [topics] state: {field} can only be used in loop_field and archive_field")
        #expect(
            problem(minimalConfig + "[topics]\nbridge_state = \"{prefix}/{inverter}/bridge\"\n")
                == "bridge.conf:8: [topics] bridge_state: {inverter} cannot be used in the bridge's own topics; "
                + "only {prefix} can")
        #expect(
            problem(minimalConfig + "[topics]\ninfo = \"{prefix}/+/info\"\n")
                == "bridge.conf:8: [topics] info: a topic must not contain the MQTT wildcards \"+\" or \"#\", "
                + "got \"{prefix}/+/info\"")
        #expect(
            problem(minimalConfig + "[topics]\nprefix = \"solar/#\"\n")
                == "bridge.conf:8: [topics] prefix: the prefix must not contain the MQTT wildcards \"+\" or \"#\", "
                + "got \"solar/#\"")
    }

    @Test func perInverterTemplatesMustTellSeveralInvertersApart() {
        let two = minimalConfig + "[[inverter]]\nname = \"b\"\naddress = 3\n[topics]\nstate = \"{prefix}/state\"\n"
        #expect(
            problem(two)
                == "bridge.conf:11: [topics] state: must contain {inverter} or {address} to tell the 2 inverters "
                + "apart, got \"{prefix}/state\"")
        // With one inverter it is fine.
        #expect(throws: Never.self) { try parse(minimalConfig + "[topics]\nstate = \"{prefix}/state\"\n") }
    }

    @Test func topicsMustBeDistinct() {
        // An inverter named "bridge" collides with the bridge's state, its command result and its events.
        #expect(
            problems("[bus]\nport = \"/dev/ttyUSB0\"\n[[inverter]]\nname = \"bridge\"\naddress = 2\n").map(\.description)
                == [
                    "bridge.conf: [topics] state: \"aurora/bridge/state\" (state of inverter \"bridge\") is also the "
                        + "topic of bridge_state; every topic must be distinct: change a template, the prefix, an inverter "
                        + "name or a field name",
                    "bridge.conf: [topics] command_result: \"aurora/bridge/command/result\" (command_result of inverter "
                        + "\"bridge\") is also the topic of bridge_command_result; every topic must be distinct: change a "
                        + "template, the prefix, an inverter name or a field name",
                    "bridge.conf: [topics] event: \"aurora/bridge/event\" (event of inverter \"bridge\") is also the "
                        + "topic of bridge_event; every topic must be distinct: change a template, the prefix, an inverter "
                        + "name or a field name",
                ])
        #expect(
            problem(minimalConfig + "[topics]\narchive_field = \"{prefix}/{inverter}/loop/{field}\"\n")
                == "bridge.conf:8: [topics] archive_field: \"aurora/inverter/loop/gridVoltage\" (archive_field of "
                + "inverter \"inverter\", field gridVoltage) is also the topic of loop_field of inverter "
                + "\"inverter\", field gridVoltage; every topic must be distinct: change a template, the prefix, an "
                + "inverter name or a field name")
        #expect(
            problem(minimalConfig + "[topics]\nprefix = \"$SYS\"\n")
                == "bridge.conf:8: [topics] prefix: must not start with \"$\" (reserved for the broker's own topics), "
                + "got \"$SYS\"")
    }

    @Test func homeAssistantSettings() {
        #expect(
            problem(minimalConfig + "[topics]\ndiscovery_prefix = \"ha\"\n")
                == "bridge.conf:8: [topics] discovery_prefix: moved to [homeassistant] discovery_prefix")
        #expect(
            problem(minimalConfig + "[homeassistant]\ndiscovery = \"yes\"\n")
                == "bridge.conf:8: [homeassistant] discovery: expected one of \"device\", \"entity\", \"off\", got \"yes\"")
        #expect(
            problem(minimalConfig + "[homeassistant]\ndiscovery_prefix = \"home/#\"\n")
                == "bridge.conf:8: [homeassistant] discovery_prefix: must not contain the MQTT wildcards \"+\" or "
                + "\"#\", got \"home/#\"")
        #expect(
            problem(minimalConfig + "[homeassistant]\ndiscovery_prefix = \"ha/\"\n")
                == "bridge.conf:8: [homeassistant] discovery_prefix: must not start or end with \"/\" (the bridge "
                + "adds the separators), got \"ha/\"")
        #expect(
            problem(minimalConfig + "[homeassistant]\nexpire_after = 1.5\n")
                == "bridge.conf:8: [homeassistant] expire_after: expected 0 or a whole number of seconds from 1 "
                + "to 86400, got 1.5")
        #expect(
            problem(minimalConfig + "[homeassistant]\nexpires_after = 60\n")
                == "bridge.conf:8: [homeassistant] expires_after: unknown key; did you mean \"expire_after\"?")
    }

    @Test func badTCPPortForm() {
        let cases = [
            "tcp://192.168.1.50": "expected tcp://host:port with a port from 1 to 65535, e.g. \"tcp://192.168.1.50:8899\"; "
                + "the port is missing in \"tcp://192.168.1.50\"",
            "tcp://adapter:99999": "expected tcp://host:port with a port from 1 to 65535, e.g. \"tcp://192.168.1.50:8899\", "
                + "got \"tcp://adapter:99999\"",
            "tcp://:8899": "expected tcp://host:port with a port from 1 to 65535, e.g. \"tcp://192.168.1.50:8899\", "
                + "got \"tcp://:8899\"",
            "udp://adapter:8899": "only tcp:// adapters and device paths are supported, got \"udp://adapter:8899\"",
            "ttyUSB0": "expected a device path such as \"/dev/ttyUSB0\" or \"tcp://host:port\", got \"ttyUSB0\"",
        ]
        for (port, message) in cases {
            #expect(
                problem("[bus]\nport = \"\(port)\"\n[[inverter]]\nname = \"a\"\naddress = 2\n")
                    == "bridge.conf:2: [bus] port: \(message)")
        }
        #expect((try? PortAddress(parsing: "tcp://[fd00::5]:8899")) == .tcp(host: "fd00::5", port: 8899))
        #expect((try? PortAddress(parsing: "tcp://[fd00::5]:8899"))?.description == "tcp://[fd00::5]:8899")
        #expect((try? PortAddress(parsing: "/dev/serial/by-id/usb-FTDI-if00")) == .serial(path: "/dev/serial/by-id/usb-FTDI-if00"))
    }

    @Test func passwordKeyIsRefused() {
        #expect(
            problem(minimalConfig + "[mqtt]\nusername = \"u\"\npassword = \"hunter2\"\n")
                == "bridge.conf:9: [mqtt] password: passwords are not read from bridge.conf; put the password in "
                + "a file that only the service can read and name it with password_file, or set the environment "
                + "variable AURORA_BRIDGE_MQTT_PASSWORD")
    }

    @Test func passwordProblems() {
        #expect(
            problem(minimalConfig + "[mqtt]\nusername = \"u\"\npassword_file = \"/nonexistent/pw\"\n")
                == "bridge.conf:9: [mqtt] password_file: cannot read \"/nonexistent/pw\": no such file")
        #expect(
            problem(minimalConfig, environment: [BridgeConfiguration.passwordVariable: "pw"])
                == "bridge.conf: [mqtt]: a password is given (environment variable AURORA_BRIDGE_MQTT_PASSWORD) but "
                + "no username; set username")
    }

    @Test func certificateWithoutKey() {
        #expect(
            problem(minimalConfig + "[mqtt.tls]\ncert_file = \"/c.pem\"\n")
                == "bridge.conf:8: [mqtt.tls] cert_file: a client certificate needs its private key; set key_file too")
        #expect(
            problem(minimalConfig + "[mqtt.tls]\nkey_file = \"/k.pem\"\n")
                == "bridge.conf:8: [mqtt.tls] key_file: a private key needs its client certificate; set cert_file too")
    }

    @Test func pskAndCertificatesAreExclusive() {
        let found = problems(
            minimalConfig + "[mqtt.tls]\nca_file = \"/ca.pem\"\npsk_identity = \"id\"\npsk_file = \"/nonexistent/psk\"\n")
        #expect(
            found.map(\.description) == [
                "bridge.conf:9: [mqtt.tls] psk_identity: a pre-shared key and certificates (ca_file) cannot be used "
                    + "together; keep psk_identity and psk_file, or the certificate keys",
                "bridge.conf:10: [mqtt.tls] psk_file: cannot read \"/nonexistent/psk\": no such file",
            ])
        #expect(
            problem(minimalConfig + "[mqtt.tls]\npsk_identity = \"id\"\n")
                == "bridge.conf:8: [mqtt.tls] psk_identity: a pre-shared key identity needs the key; set psk_file too")
    }

    @Test func badExtractor() {
        #expect(
            problem(minimalConfig + "[archive.extractors]\ngridPower = \"maximum\"\n")
                == "bridge.conf:8: [archive.extractors] gridPower: expected one of \"avg\", \"min\", \"max\", "
                + "\"last\", \"sum\", \"count\", got \"maximum\"; did you mean \"max\"?")
        #expect(
            problem(minimalConfig + "[archive.extractors]\ngridPowr = \"max\"\n")
                == "bridge.conf:8: [archive.extractors] gridPowr: unknown field \"gridPowr\"; did you mean "
                + "\"gridPower\"? (extractors are set by original field name)")
    }

    @Test func badRenameTarget() {
        #expect(
            problem(minimalConfig + "[fields]\nrename = { gridPower = \"grid/power\" }\n")
                == "bridge.conf:8: [fields] rename.gridPower: expected a name of letters, digits, \"-\" and \"_\" "
                + "(it is used in topics), got \"grid/power\"")
        #expect(
            problem(minimalConfig + "[fields]\nrename = { gridPower = \"gridVoltage\" }\n")
                == "bridge.conf:8: [fields] rename.gridPower: \"gridVoltage\" is already the name of the field "
                + "gridVoltage; names must be unique")
        #expect(
            problem(minimalConfig + "[fields.rename]\ngridPower = \"power\"\ngridVoltage = \"power\"\n")
                == "bridge.conf:9: [fields] rename.gridVoltage: \"power\" is already the name of gridPower, renamed "
                + "to it; names must be unique")
        #expect(
            problem(minimalConfig + "[fields]\nrename = { gridPower = \"dateTime\" }\n")
                == "bridge.conf:8: [fields] rename.gridPower: \"dateTime\" is taken by the JSON loop topic; "
                + "choose another name")
        #expect(
            problem(minimalConfig + "[fields]\nrename = { gridpower = \"power\" }\n")
                == "bridge.conf:8: [fields] rename.gridpower: unknown field \"gridpower\"; did you mean \"gridPower\"?")
    }

    @Test func renamingToAnExcludedFieldsNameIsAllowed() throws {
        let configuration = try parse(
            minimalConfig + "[fields]\nexclude = [\"leakCurrent\"]\nrename = { leakdcCurrent = \"leakCurrent\" }\n")
        #expect(configuration.fields.publishedName(of: "leakdcCurrent") == "leakCurrent")
    }

    @Test func unknownExcludedFieldPointsAtItsLineInAMultiLineArray() {
        #expect(
            problem(minimalConfig + "[fields]\nexclude = [\n  \"leakCurrent\",\n  \"isoResistence\",\n]\n")
                == "bridge.conf:10: [fields] exclude: unknown field \"isoResistence\"; did you mean \"isoResistance\"?")
    }

    @Test func everyProblemIsReportedInLineOrder() {
        let text = """
            [log]
            level = "loud"

            [mqtt]
            port = 0
            qos = 7

            [[inverter]]
            name = "a"
            address = 2
            """
        let found = problems(text)
        #expect(found.map(\.line) == [2, 5, 6, nil])
        #expect(found.last?.subject == "[bus]")
        #expect(ConfigurationError(problems: found).description.split(separator: "\n").count == 4)
    }
}

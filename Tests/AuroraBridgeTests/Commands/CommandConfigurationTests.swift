import Foundation
import Testing

@testable import AuroraBridge

/// `[commands]`, the command topics and `clock_sync`, as `bridge.conf` gives them.
@Suite struct CommandConfigurationTests {
    @Test func commandsAndClockSyncAreOffByDefault() throws {
        let configuration = try parse(minimalConfig)
        #expect(!configuration.commands.enabled)
        #expect(configuration.inverters[0].clockSync == ClockSyncSettings(mode: .off, tolerance: 30))
        #expect(ClockSyncService.kept(configuration).isEmpty)
    }

    @Test func theDefaultRoutesFollowTheIssuesTopics() throws {
        let routes = CommandRoutes(configuration: try parse(minimalConfig + "[commands]\nenabled = true\n"))
        #expect(routes.topics == ["aurora/bridge/command/republish", "aurora/inverter/command/read", "aurora/inverter/command/set_time"])
        #expect(routes.routes["aurora/inverter/command/set_time"] == .init(
            command: .poller(.setTime, inverter: "inverter"), resultTopic: "aurora/inverter/command/result"))
        #expect(routes.routes["aurora/bridge/command/republish"] == .init(command: .republish, resultTopic: "aurora/bridge/command/result"))
    }

    @Test func clockSyncAndTemplatesAreRead() throws {
        let text = minimalConfig + """
            clock_sync = "daily"
            clock_tolerance = 90

            [topics]
            command_set_time = "{prefix}/set/{address}"
            """
        let configuration = try parse(text)
        #expect(configuration.inverters[0].clockSync == ClockSyncSettings(mode: .daily, tolerance: 90))
        #expect(CommandRoutes(configuration: configuration).routes["aurora/set/2"]?.command == .poller(.setTime, inverter: "inverter"))
        #expect(ClockSyncService.kept(configuration).map(\.resultTopic) == ["aurora/inverter/command/result"])
    }

    @Test func aWrongClockSyncIsReported() {
        let found = problems(minimalConfig + "clock_sync = \"hourly\"\n")
        #expect(found.count == 1 && found[0].message.contains("daily"), "\(found)")
    }

    @Test func theResultCarriesTheClockErrorsOnlyWhenRead() {
        let set = CommandResult(command: "set_time", inverter: "roof", ok: true, message: "set", clockErrorBefore: -600, clockErrorAfter: 0)
        #expect(set.json.description == #"{"command":"set_time","inverter":"roof","ok":true,"message":"set","clockErrorBefore":-600,"clockErrorAfter":0}"#)
        let refused = CommandResult(command: "read", inverter: "roof", ok: false, message: "the inverter is asleep")
        #expect(!refused.json.description.contains("clockError"))
    }

    @Test func aRequestForAnAsleepInverterIsAnsweredWithoutThePoller() async {
        let requests = PollerRequests()
        requests.note(.asleep, for: "roof")
        let result = await requests.submit(.read, inverter: "roof")
        #expect(result == CommandResult(command: "read", inverter: "roof", ok: false, message: "the inverter is asleep"))
    }
}

/// The Home Assistant buttons of the commands.
@Suite struct CommandButtonTests {
    static func buttons(_ text: String) throws -> [HomeAssistantDiscovery.Message] {
        let configuration = try parse(text)
        return HomeAssistantDiscovery(configuration: configuration).messages(identities: [:])
            .filter { $0.topic.contains("/button/") }
    }

    @Test func withCommandsOnEachCommandIsAButtonOnTheInvertersDevice() throws {
        // Entity mode: a config topic per button.
        let buttons = try Self.buttons(minimalConfig + "[commands]\nenabled = true\n[homeassistant]\ndiscovery = \"entity\"\n")
        #expect(buttons.map(\.topic) == [
            "homeassistant/button/aurora_inverter/command_set_time/config",
            "homeassistant/button/aurora_inverter/command_read/config",
            "homeassistant/button/aurora_inverter/bridge_republish/config",
        ])
        #expect(buttons[0].payload.contains(#""command_topic":"aurora/inverter/command/set_time""#))
        #expect(buttons[0].payload.contains(#""payload_press":"""#) && buttons[0].payload.contains(#""retain":false"#))
        #expect(buttons.allSatisfy { $0.payload.contains(#""identifiers":["aurora_inverter"]"#) })
        #expect(buttons[2].payload.contains(#""command_topic":"aurora/bridge/command/republish""#))

        // Device mode (the default): the buttons are components of the inverter's one config.
        let configuration = try parse(minimalConfig + "[commands]\nenabled = true\n")
        let device = try #require(HomeAssistantDiscovery(configuration: configuration).messages(identities: [:]).first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(device.payload.utf8)) as? [String: Any])
        let components = try #require(json["cmps"] as? [String: [String: Any]])
        for key in ["command_set_time", "command_read", "bridge_republish"] {
            #expect(components[key]?["p"] as? String == "button", "\(key)")
        }
        #expect(components["command_set_time"]?["command_topic"] as? String == "aurora/inverter/command/set_time")
    }

    @Test func withCommandsOffThereAreNoButtons() throws {
        #expect(try Self.buttons(minimalConfig).isEmpty)
    }

    @Test func theKernelIsAskedWhetherTheHostClockIsSynchronised() {
        #expect(HostClockState.kernel().source == "adjtimex")
    }
}

import AuroraBridge
import Testing

@Suite struct PlantConfigurationTests {
    private let second = "[[inverter]]\nname = \"garage\"\naddress = 3\n"

    @Test func thePlantIsPublishedByDefaultOnlyWithTwoInverters() throws {
        #expect(try parse(minimalConfig).plantName == nil, "one inverter: no plant")
        #expect(try parse(minimalConfig + second).plantName == "plant")
        #expect(try parse(minimalConfig + second + "[plant]\nname = \"site\"\n").plantName == "site")
        #expect(try parse(minimalConfig + second + "[plant]\nenabled = false\n").plantName == nil)
    }

    @Test func thePlantMayNotTakeAnInvertersName() throws {
        #expect(
            problem(minimalConfig + second + "[plant]\nname = \"garage\"\n")
                == "bridge.conf:11: [plant] name: \"garage\" is also an inverter's name; give the plant another name, or set enabled = false")
        #expect(
            problem(minimalConfig + "[[inverter]]\nname = \"plant\"\naddress = 3\n").contains("[plant]: \"plant\" is also an inverter's name"))
        #expect(try parse(minimalConfig + "[[inverter]]\nname = \"plant\"\naddress = 3\n[plant]\nenabled = false\n").plantName == nil)
    }

    @Test func thePlantsNameIsTopicSafe() {
        #expect(problem(minimalConfig + second + "[plant]\nname = \"My Plant\"\n").contains("expected lowercase letters"))
    }
}

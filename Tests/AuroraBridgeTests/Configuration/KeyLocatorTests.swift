import Testing

@testable import AuroraBridge

@Suite struct KeyLocatorTests {
    @Test func findsTablesKeysAndArrayElements() {
        let locator = KeyLocator(
            source: """
                # comment with key = value
                top = 1
                [mqtt]
                host = "a" # trailing = comment
                  "quoted key" = 2
                tls.ca_file = "/ca"
                [mqtt.tls]
                insecure = true
                [[inverter]]
                name = "a"
                [[inverter]]
                name = "b"
                [inverter.extra]
                x = 1
                """)
        #expect(locator.line(of: ["top"]) == 2)
        #expect(locator.line(of: ["mqtt"]) == 3)
        #expect(locator.line(of: ["mqtt", "host"]) == 4)
        #expect(locator.line(of: ["mqtt", "quoted key"]) == 5)
        #expect(locator.line(of: ["mqtt", "tls"]) == 6)
        #expect(locator.line(of: ["mqtt", "tls", "ca_file"]) == 6)
        #expect(locator.line(of: ["mqtt", "tls", "insecure"]) == 8)
        #expect(locator.line(of: ["inverter"]) == 9)
        #expect(locator.line(of: ["inverter", "0", "name"]) == 10)
        #expect(locator.line(of: ["inverter", "1"]) == 11)
        #expect(locator.line(of: ["inverter", "1", "name"]) == 12)
        #expect(locator.line(of: ["inverter", "1", "extra", "x"]) == 14)
        #expect(locator.line(of: ["nothing"]) == nil)
    }

    @Test func walksInlineTablesArraysAndMultiLineStrings() {
        let locator = KeyLocator(
            source: """
                [fields]
                rename = { gridPower = "power", "dayEnergy" = "today" }
                exclude = [
                  "a", # not = a key
                  'b',
                ]
                note = \"\"\"
                fake = "line"
                \"\"\"
                after = { nested = { deep = 1 } }
                last = 'x'
                """)
        #expect(locator.line(of: ["fields", "rename", "gridPower"]) == 2)
        #expect(locator.line(of: ["fields", "rename", "dayEnergy"]) == 2)
        #expect(locator.line(of: ["fields", "exclude", "0"]) == 4)
        #expect(locator.line(of: ["fields", "exclude", "1"]) == 5)
        #expect(locator.line(of: ["fields", "fake"]) == nil)
        #expect(locator.line(of: ["fields", "after", "nested", "deep"]) == 10)
        #expect(locator.line(of: ["fields", "last"]) == 11)
    }

    @Test func suggestionsTolerateTyposButNotStrangers() {
        #expect(NameSuggestion.nearest(to: "hots", in: ["host", "port"]) == "host")
        #expect(NameSuggestion.nearest(to: "HOST", in: ["host", "port"]) == "host")
        #expect(NameSuggestion.nearest(to: "reconnect_maximum", in: ["reconnect_max", "reconnect_min"]) == "reconnect_max")
        #expect(NameSuggestion.nearest(to: "frequency", in: ["interval"]) == nil)
    }
}

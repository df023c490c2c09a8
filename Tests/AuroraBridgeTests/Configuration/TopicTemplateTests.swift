import Testing

@testable import AuroraBridge

@Suite struct TopicTemplateTests {
    @Test func rendersEveryToken() throws {
        let template = try TopicTemplate("{prefix}/{inverter}/{address}/loop/{field}")
        #expect(template.render(prefix: "aurora", inverter: "roof", address: 2, field: "gridPower")
            == "aurora/roof/2/loop/gridPower")
        #expect(template.tokens == [.prefix, .inverter, .address, .field])
        #expect(template.description == "{prefix}/{inverter}/{address}/loop/{field}")
    }

    @Test func rendersLiteralsOnlyAndTokensOnly() throws {
        #expect(try TopicTemplate("fixed/topic").render(prefix: "p") == "fixed/topic")
        #expect(try TopicTemplate("{prefix}").render(prefix: "p") == "p")
        #expect(try TopicTemplate("").render(prefix: "p") == "")
        #expect(try TopicTemplate("{field}{field}").render(prefix: "", field: "x") == "xx")
    }

    @Test func rejectsUnknownAndUnbalancedPlaceholders() {
        #expect(throws: TopicTemplate.ParseError(description: "unknown placeholder {feild}; did you mean {field}?")) {
            try TopicTemplate("{prefix}/{feild}")
        }
        #expect(
            throws: TopicTemplate.ParseError(
                description: "unknown placeholder {serialNumber}; allowed: {prefix}, {inverter}, {address}, {field}")
        ) {
            try TopicTemplate("{serialNumber}")
        }
        #expect(throws: TopicTemplate.ParseError.self) { try TopicTemplate("{prefix/x") }
        #expect(throws: TopicTemplate.ParseError.self) { try TopicTemplate("prefix}/x") }
    }
}

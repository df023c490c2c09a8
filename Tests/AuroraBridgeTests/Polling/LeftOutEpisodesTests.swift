import AuroraBridge
import Testing

@Suite struct LeftOutEpisodesTests {
    @Test func anEpisodeIsLoggedWhenItBeginsAndWhenItEndsOnly() {
        var episodes = LeftOutEpisodes()
        let glitch = LeftOutReading(field: "totalEnergy", value: "0", reason: .wentDown)
        let began = episodes.note(inverter: "roof", leftOut: [glitch], fields: ["dayEnergy"])
        #expect(began.count == 1)
        guard case .began(let key, value: "0") = began.first else {
            Issue.record("expected the episode to begin: \(began)")
            return
        }
        #expect(key.inverter == "roof" && key.field == "totalEnergy" && key.reason == .wentDown)
        // Still bad: nothing new to say.
        #expect(episodes.note(inverter: "roof", leftOut: [glitch], fields: ["dayEnergy"]).isEmpty)
        // Missing for another reason (a failed read), or another inverter's packet: still open.
        #expect(episodes.note(inverter: "roof", leftOut: [], fields: ["dayEnergy"]).isEmpty)
        #expect(episodes.note(inverter: "garage", leftOut: [], fields: ["totalEnergy"]).isEmpty)
        // Back in a packet of this inverter: the episode ends, once.
        #expect(episodes.note(inverter: "roof", leftOut: [], fields: ["totalEnergy"]) == [.ended(key)])
        #expect(episodes.note(inverter: "roof", leftOut: [], fields: ["totalEnergy"]).isEmpty)
    }
}

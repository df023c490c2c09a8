import AuroraBridge
import Testing

@Suite struct EnergyDeriverTests {
    @Test func firstPacketHasNoEnergyThenDeltas() {
        var deriver = EnergyDeriver()
        #expect(deriver.energy(dayEnergy: 100) == nil)
        #expect(deriver.energy(dayEnergy: 130) == 30)
        #expect(deriver.energy(dayEnergy: 130) == 0)
    }

    @Test func aFailedReadKeepsTheBaseline() {
        var deriver = EnergyDeriver()
        _ = deriver.energy(dayEnergy: 100)
        #expect(deriver.energy(dayEnergy: nil) == nil)
        #expect(deriver.energy(dayEnergy: 150) == 50)
    }

    @Test func theMidnightResetCountsWhatWasProducedSince() {
        var deriver = EnergyDeriver()
        _ = deriver.energy(dayEnergy: 21_000)
        #expect(deriver.energy(dayEnergy: 4) == 4)
        #expect(deriver.energy(dayEnergy: 10) == 6)
    }

    @Test func neverNegative() {
        var deriver = EnergyDeriver()
        var previous: Int64 = 0
        for value in [Int64(5), 3, 3, 9, 0, 1, 100, 2] {
            let energy = deriver.energy(dayEnergy: value)
            #expect((energy ?? 0) >= 0, "after \(previous) → \(value)")
            previous = value
        }
    }
}

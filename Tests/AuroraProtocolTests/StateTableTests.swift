import AuroraProtocol
import Testing

@Suite struct StateTableTests {
    @Test func knownCodes() {
        #expect(GlobalState(code: 6).description == "Run")
        #expect(GlobalState(code: 30).description == "Waiting sun")
        #expect(GlobalState(code: 101).description == "Freeze")
        #expect(InverterState(code: 45).description == "MPPT")
        #expect(DCDCState(code: 19).description == "DC/DC comm. error")
        #expect(Alarm(code: 64).description == "J-box fail (W017)")
        #expect(Alarm(code: 18).description == "Ground fault")
        #expect(Alarm(code: 0).displayCode == nil)
    }

    @Test func unknownCodesAreToleratedNotFatal() {
        #expect(GlobalState(code: 28).description == "unknown (28)")
        #expect(InverterState(code: 35).description == "unknown (35)")
        #expect(DCDCState(code: 200).description == "unknown (200)")
        #expect(Alarm(code: 65).description == "unknown (65)")
    }

    @Test func onlyGlobalStateSixIsRunning() {
        #expect((0...255).filter { GlobalState(code: UInt8($0)).isRunning } == [6])
    }

    @Test func measureCatalogue() {
        #expect(MeasureType.polled.count == 25)
        #expect(Set(MeasureType.polled).count == 25)
        #expect(MeasureType.polled.allSatisfy { $0.fieldName != nil })
        #expect(MeasureType.isolationResistance.unit == "MΩ")
        #expect(MeasureType.gridNeutralPhaseVoltage.fieldName == "gridnphVoltage")
        #expect(MeasureType(rawValue: 99).description == "measure type 99")
        #expect(EnergyPeriod.allCases.map(\.rawValue) == [0, 1, 3, 4, 5, 6])
    }
}

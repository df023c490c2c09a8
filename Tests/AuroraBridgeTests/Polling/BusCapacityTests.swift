import AuroraBridge
import Testing

@Suite struct BusCapacityTests {
    @Test func aFullPollAt19200BaudTakesAThirdOfASecond() {
        let bus = BusCapacity(baudRate: 19200)
        // State, 25 measures, 6 counters, the clock and the last alarms.
        #expect(BusCapacity.transactionsPerPoll == 34)
        // 34 × (180 bits / 19200 + 1 ms): about three polls a second.
        #expect(abs(bus.pollSeconds - 34 * (180.0 / 19200 + 0.001)) < 1e-9)
        #expect((2.5...3.5).contains(1 / bus.pollSeconds))
    }

    @Test func theCommandDelayAndASlowerBaudRateLengthenThePoll() {
        let base = BusCapacity(baudRate: 19200).pollSeconds
        #expect(abs(BusCapacity(baudRate: 19200, commandDelay: 0.01).pollSeconds - (base + 0.34)) < 1e-9)
        #expect(BusCapacity(baudRate: 9600).pollSeconds > base * 1.9)
    }

    @Test func intervalsThatFitGiveNoWarning() {
        let bus = BusCapacity(baudRate: 19200)
        #expect(bus.warning(intervals: [10, 10, 10]) == nil)
        #expect(bus.warning(intervals: [1, 1]) == nil, "two polls of 0.35 s a second fit")
        #expect(abs(bus.load(intervals: [1, 1]) - 2 * bus.pollSeconds) < 1e-9)
    }

    @Test func eightInvertersAtOneSecondAreWarnedWithTheIntervalThatFits() throws {
        let bus = BusCapacity(baudRate: 19200)
        let warning = try #require(bus.warning(intervals: Array(repeating: 1, count: 8)))
        #expect(warning.contains("282%"), "\(warning)")
        #expect(warning.contains("poll_interval of 3 s"), "\(warning)")
        #expect(bus.fittingInterval(inverters: 8) == 3)
        #expect(bus.load(intervals: Array(repeating: 3, count: 8)) <= 1)
    }
}

import AuroraProtocol
@testable import AuroraSimulator
import Testing

/// When replies are due: in order per address, independently across addresses.
@Suite("Reply schedule")
struct ReplyScheduleTests {
    let start = ContinuousClock.now

    private func transmission(_ delay: Duration) -> Transmission { Transmission(bytes: [0, 6], delay: delay) }

    private func frame(address: UInt8, _ command: Command = .state) -> [UInt8] { Request(address: address, command: command).bytes }

    /// Takes out every waiting reply, whatever its due instant: (address, due offset from `start`).
    private func drain(_ schedule: inout ReplySchedule) -> [(address: UInt8, due: Duration)] {
        var drained: [(address: UInt8, due: Duration)] = []
        while let due = schedule.nextDue, let entry = schedule.removeFirstDue(at: due) {
            drained.append((entry.requestFrame[0], entry.due - start))
        }
        return drained
    }

    @Test func anAddressAnswersItsRequestsOneAfterAnother() {
        var schedule = ReplySchedule()
        schedule.add(transmission(.milliseconds(400)), answering: frame(address: 2), on: 5, arrivedAt: start)
        schedule.add(transmission(.milliseconds(400)), answering: frame(address: 2), on: 5, arrivedAt: start + .milliseconds(1))
        // Arrived after the first reply of 2 was due: waits from its own arrival.
        schedule.add(transmission(.milliseconds(10)), answering: frame(address: 2), on: 5, arrivedAt: start + .seconds(2))
        #expect(drain(&schedule).map(\.due) == [.milliseconds(400), .milliseconds(800), .milliseconds(2010)])
    }

    @Test func otherAddressesAreDueOnTheirOwn() {
        var schedule = ReplySchedule()
        schedule.add(transmission(.seconds(1)), answering: frame(address: 2), on: 5, arrivedAt: start)
        schedule.add(transmission(.milliseconds(5)), answering: frame(address: 3), on: 5, arrivedAt: start + .milliseconds(1))
        schedule.add(transmission(.milliseconds(5)), answering: frame(address: 2), on: 6, arrivedAt: start + .milliseconds(2))
        let drained = drain(&schedule)
        #expect(drained.map(\.address) == [3, 2, 2])
        #expect(drained.map(\.due) == [.milliseconds(6), .seconds(1), .milliseconds(1005)])
    }

    @Test func repliesDueAtOneInstantKeepTheOrderOfTheirRequests() {
        var schedule = ReplySchedule()
        for address: UInt8 in [7, 3, 5] {
            schedule.add(transmission(.zero), answering: frame(address: address), on: 5, arrivedAt: start)
        }
        #expect(schedule.removeFirstDue(at: start - .milliseconds(1)) == nil, "nothing is due before its instant")
        #expect(drain(&schedule).map(\.address) == [7, 3, 5])
    }

    @Test func aClosedChannelsRepliesAreDroppedButTheirTimeStaysTaken() {
        var schedule = ReplySchedule()
        schedule.add(transmission(.seconds(1)), answering: frame(address: 2), on: 5, arrivedAt: start)
        schedule.add(transmission(.milliseconds(5)), answering: frame(address: 3), on: 5, arrivedAt: start)
        schedule.removeReplies(on: 5)
        #expect(schedule.nextDue == nil)
        schedule.add(transmission(.milliseconds(5)), answering: frame(address: 2), on: 6, arrivedAt: start + .milliseconds(1))
        let drained = drain(&schedule)
        #expect(drained.count == 1 && drained.first?.due == .milliseconds(1005))
    }
}

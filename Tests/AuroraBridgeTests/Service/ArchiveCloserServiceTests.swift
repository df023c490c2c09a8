import AuroraTestSupport
import Testing

@testable import AuroraBridge

/// The archive closer as a service, on a stepping clock.
@Suite struct ArchiveCloserServiceTests {
    private let start = Double(1_750_000_000 / 60 * 60)

    private func packet(at time: Double) -> LoopPacket {
        LoopPacket(inverter: "inverter", dateTime: Int64(time), fields: [LoopField(name: "gridPower", value: .float(100))])
    }

    private func service(_ archive: ArchiveDelivery, clock: HorizonClock, session: BrokerSession, reloading: Bool) -> ArchiveCloserService {
        ArchiveCloserService(archive: archive, clock: clock, grace: 5, keepDays: 365, session: session, reloading: Locked(reloading))
    }

    @Test func intervalsCloseOnTheClockAndTheirRecordsAreStored() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try ServiceFixture()
            let (archive, store, _) = try await fixture.archive(in: folder)
            let clock = HorizonClock(start: start + 10, horizon: start + 100)
            await archive.add(packet(at: start + 10))
            let session = try BrokerSession(configuration: fixture.configuration)
            try await withRunning(service(archive, clock: clock, session: session, reloading: false)) {
                try await Deadline.until("the interval's record", timeout: .seconds(60)) { try await store.records().count == 1 }
            }
            #expect(try await store.records().first?.dateTime == Int64(start + 60))
        }
    }

    /// Runs the closer with an open interval and stops it; returns the intervals saved in the
    /// store and those handed to the session.
    private func stop(reloading: Bool) async throws -> (stored: [String], handedOver: [String]) {
        try await withTemporaryDirectory { folder in
            let fixture = try ServiceFixture()
            let (archive, store, _) = try await fixture.archive(in: folder, interval: 86_400)
            let clock = HorizonClock(start: start + 10, horizon: start + 20)
            await archive.add(packet(at: start + 10))
            let session = try BrokerSession(configuration: fixture.configuration)
            try await withRunning(service(archive, clock: clock, session: session, reloading: reloading)) {}
            return (try await store.loadPartial().map(\.inverter), session.takeOpenIntervals().map(\.inverter))
        }
    }

    @Test func aShutdownSavesTheOpenIntervalsInTheStore() async throws {
        let (stored, handedOver) = try await stop(reloading: false)
        #expect(stored == ["inverter"])
        #expect(handedOver.isEmpty)
    }

    @Test func aReloadHandsTheOpenIntervalsToTheSessionInsteadOfTheStore() async throws {
        let (stored, handedOver) = try await stop(reloading: true)
        #expect(stored.isEmpty)
        #expect(handedOver == ["inverter"])
    }

    @Test func theGraceIsTheLongestPollIntervalPlusOneRequestsWorstCasePlusASecond() throws {
        let configuration = try parse("""
            [bus]
            port = "/dev/ttyUSB0"
            read_timeout = 0.5
            max_tries = 3

            [[inverter]]
            name = "inverter"
            address = 2
            poll_interval = 20
            """)
        #expect(ArchiveCloserService.grace(configuration: configuration) == 20 + 1.5 + 1)
    }
}

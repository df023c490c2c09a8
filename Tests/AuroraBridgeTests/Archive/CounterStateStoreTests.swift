import AuroraBridge
import AuroraProtocol
import Testing

@Suite struct CounterStateStoreTests {
    @Test func aGuardIsStoredBySerialNumberAndSurvivesReopening() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/archive.sqlite"
            var counters = CounterGuard()
            _ = counters.screen([.day: 5_000, .total: 18_500_000], inverterTime: 1_781_697_600, calendar: CounterCalendar(timeZone: .gmt))
            do {
                let store = try ArchiveStore(path: path)
                #expect(try await store.counterGuard(serialNumber: "100001") == nil)
                try await store.saveCounterGuard(CounterGuard(), serialNumber: "100001")
                try await store.saveCounterGuard(counters, serialNumber: "100001")
            }
            let reopened = try ArchiveStore(path: path)
            #expect(try await reopened.counterGuard(serialNumber: "100001") == counters, "the last save replaces the first")
            #expect(try await reopened.counterGuard(serialNumber: "100002") == nil, "another inverter starts fresh")
        }
    }
}

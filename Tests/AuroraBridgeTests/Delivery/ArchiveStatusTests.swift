import AuroraBridge
import AuroraLink
import Testing

@Suite struct ArchiveStatusTests {
    @Test func theStatsSayWhetherTheArchiveIsDegradedAndHowManyRecordsWaitInMemory() {
        let status = ArchiveOutbox.Status(degraded: true, queued: 3, dropped: 1, inFlight: 2)
        let json = BridgeCounters().json(uptime: 10, link: LinkStatistics(), archiveBacklog: 7, archive: status).description
        #expect(json.hasSuffix(#""archiveBacklog":7,"archiveDegraded":true,"archiveQueued":3,"archiveDropped":1,"archiveInFlight":2}"#), "\(json)")
        let healthy = BridgeCounters().json(uptime: 10, link: LinkStatistics(), archiveBacklog: 0, archive: .init(degraded: false, queued: 0, dropped: 0, inFlight: 0))
        #expect(healthy.description.contains(#""archiveDegraded":false,"archiveQueued":0"#))
    }
}

import AuroraProtocol
import Foundation
import Testing

@Suite struct InverterClockTests {
    let berlin = InverterClock(timeZone: TimeZone(identifier: "Europe/Berlin")!)

    @Test func utcIsAPlainOffsetFrom2000() {
        let utc = InverterClock(timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.unixTime(fromInverter: 0) == 946_684_800)
        #expect(utc.inverterSeconds(fromUnix: 946_684_800 + 570_988_492) == 570_988_492)
    }

    @Test func winterAndSummerUseTheirOwnOffsets() {
        // 2026-01-15 12:00 UTC is 13:00 in Berlin (UTC+1); 2026-07-15 12:00 UTC is 14:00 (UTC+2).
        let winter: Int64 = 1_768_478_400
        let summer: Int64 = 1_784_116_800
        #expect(Int64(berlin.inverterSeconds(fromUnix: winter)) == winter + 3600 - InverterClock.epoch2000)
        #expect(Int64(berlin.inverterSeconds(fromUnix: summer)) == summer + 7200 - InverterClock.epoch2000)
    }

    @Test func roundTripsEveryQuarterHourAcrossBothDSTChanges() {
        // 2026-03-29 (spring forward, 02:00 → 03:00) and 2026-10-25 (fall back, 03:00 → 02:00) in Berlin.
        for start in [Int64(1_774_738_800), 1_792_879_200] {
            for step in 0..<(24 * 4) {
                let unix = start + Int64(step) * 900
                let inverter = berlin.inverterSeconds(fromUnix: unix)
                let back = berlin.unixTime(fromInverter: inverter)
                // In the repeated hour of the fall-back night two instants share one wall-clock
                // time; the conversion picks the first.
                #expect(back == unix || back == unix - 3600, "unix \(unix)")
                #expect(berlin.inverterSeconds(fromUnix: back) == inverter)
            }
        }
    }

    @Test func theRepeatedHourResolvesToItsFirstOccurrence() {
        // 2026-10-25 02:30 local happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
        let local = UInt32(1_792_888_200 + 7200 - InverterClock.epoch2000)
        #expect(berlin.unixTime(fromInverter: local) == 1_792_888_200)
    }
}

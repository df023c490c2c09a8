import AuroraBridge
import AuroraProtocol
import Foundation
import Testing

struct DayPlotTests {
    static let midnight: Int64 = 1_782_000_000 - 1_782_000_000 % 86_400

    static func record(endingAt offset: Int64, power: Float, energy: Int64) -> ArchiveRecord {
        ArchiveRecord(
            inverter: "roof", dateTime: midnight + offset, interval: 300, count: 1,
            fields: [
                FieldSummary(name: "gridPower", extractor: .avg, count: 1, sum: .float(power), min: .float(power - 10), max: .float(power + 10), avg: .float(power), last: .float(power)),
                FieldSummary(name: "energy", extractor: .sum, count: 1, sum: .integer(energy), min: .integer(energy), max: .integer(energy), avg: .double(Double(energy)), last: .integer(energy)),
            ])
    }

    let plot = DayPlot(
        inverter: "roof & co", day: "2026-06-21", start: midnight, end: midnight + 86_400, timeZone: TimeZone(identifier: "UTC")!,
        records: [
            record(endingAt: 36_300, power: 1000, energy: 80),
            record(endingAt: 36_000, power: 900, energy: 70),
            record(endingAt: 37_500, power: 1200, energy: 100),
            record(endingAt: 38_100, power: 1100, energy: 90),
        ])

    @Test func theTotalIsTheSumOfTheRecordsEnergy() {
        #expect(plot.totalEnergy == 340)
    }

    @Test func markersShowStartLongGapsAndEnd() {
        // 36 300 → 37 200: three intervals without data are marked; 37 500 → 37 800, one, is not.
        #expect(plot.markers.map(\.label) == ["online", "no data", "online", "asleep"])
        #expect(plot.markers.map(\.time) == [Self.midnight + 35_700, Self.midnight + 36_300, Self.midnight + 37_200, Self.midnight + 38_100])
    }

    @Test func theDocumentEscapesTheNameAndLabelsLocalHours() {
        let svg = plot.svg()
        #expect(svg.contains("roof &amp; co — 2026-06-21 — 0.340 kWh"))
        #expect(svg.contains(">10:00</text>") && svg.contains(">00:00</text>"))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func anEmptyDayIsStillADocument() {
        let empty = DayPlot(inverter: "roof", day: "2026-06-21", start: Self.midnight, end: Self.midnight + 86_400, timeZone: .current, records: [])
        #expect(empty.svg().hasSuffix("</svg>\n") && empty.markers.isEmpty)
    }
}

import AuroraBridge
import AuroraSimulator
import AuroraTestSupport
import Foundation
import GRDB
import Testing

extension ArchiveEndToEnd {
    /// A short simulated PV day, dawn to dusk, in about 25 s: the bridge and the simulator share
    /// one fast clock, and every archive record is checked against the loop packets a
    /// subscriber received.
    @Suite struct DayTests {
        /// 2026-06-21 00:00 UTC.
        static let midnight: Double = 1_782_000_000
        /// Wakes at 09:57, sunrise 10:00, sunset 10:25, silent from 10:26 (UTC).
        static let day = SolarDay(
            sunrise: 10 * 3600, sunset: 10 * 3600 + 25 * 60, nominalPower: 3600, wakeStepDuration: 60,
            windDownDuration: 60)
        /// 09:54:10, in the night before the interval ending 09:55.
        static let start = midnight + 9 * 3600 + 54 * 60 + 10
        static let interval: Int64 = 300
        /// Simulated seconds per real second: a 30 s poll takes 0.3 s of real time.
        static let scale = 100.0

        /// The extractors the test expects, by published name: the documented defaults and the
        /// overrides of the configuration below.
        static func extractor(_ published: String) -> Extractor {
            switch published {
            case "gridVoltage": .min
            case "gridFrequency": .max
            case "inverterTemp": .last
            case "string1Power": .sum
            case "boosterTemp": .count
            case "energy": .sum
            case "dayEnergy", "weekEnergy", "monthEnergy", "yearEnergy", "totalEnergy", "partialEnergy",
                "inverterDateTime":
                .last
            default: .avg
            }
        }

        /// The canonical name (database column) of a published field name.
        static func canonical(_ published: String) -> String {
            published == "acPower" ? "gridPower" : published
        }

        @Test func oneRecordPerAnsweredIntervalMatchingTheLoopPacketsAndTheDatabase() async throws {
            let clock = ScaledWallClock(start: Self.start, scale: Self.scale)
            let simulator = try Simulator(
                inverters: [InverterModel(address: 2, timeZone: .gmt, day: Self.day, energyOrigin: Self.midnight)],
                clock: FollowingClock(wall: clock))
            let directory = try TemporaryDirectory("archive-day")
            let server = try PseudoTerminalServer(simulator: simulator, linkPath: directory.file("ttyAurora"))
            defer { server.stop() }
            let broker = try await TestBroker.start()
            var configuration = TestBridgeConfiguration(
                brokerPort: Int(broker.port), busPort: directory.file("ttyAurora"),
                inverters: [.init(name: "roof", address: 2, pollInterval: 30)], database: directory.file("archive.sqlite"))
            configuration.probeMax = 30
            configuration.archiveInterval = Int(Self.interval)
            configuration.extra = """
                [fields]
                exclude = ["leakCurrent"]
                rename = { gridPower = "acPower" }

                [archive.extractors]
                gridVoltage = "min"
                gridFrequency = "max"
                inverterTemp = "last"
                string1Power = "sum"
                boosterTemp = "count"
                """
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/roof/#", qos: .atLeastOnce)

            // 10:36, a whole silent interval after the inverter fell asleep, plus the grace.
            let end = Self.midnight + 10 * 3600 + 36 * 60
            try await withBridge(try parse(configuration), clock: clock) {
                try await Deadline.until("the simulated day to end", timeout: .seconds(60)) { clock.now() >= end }
            }

            let packets = try ArchiveBench.livePackets(subscriber)
            let records = try ArchiveBench.liveRecords(subscriber)
            let expected = ArchiveExpectation.group(packets, interval: Self.interval)
            let boundary = { (hour: Double, minute: Double) in Int64(Self.midnight + hour * 3600 + minute * 60) }

            // One record per interval in which the inverter answered, none for silent ones.
            #expect(expected.count >= 6, "a day of at least six answered intervals")
            #expect(records.map { $0.integer("dateTime")! } == expected.map(\.end))
            #expect(expected.first?.end == boundary(10, 0), "the first answers come after waking at 09:57")
            #expect(expected.last?.end == boundary(10, 30), "the last answers come before falling silent at 10:26")

            // Every statistic equals the one computed from the published loop packets.
            for (record, interval) in zip(records, expected) {
                let problems = interval.problems(in: record, extractor: Self.extractor)
                #expect(problems.isEmpty, "\(problems)")
            }
            #expect(records.allSatisfy { $0["leakCurrent"] == nil && $0["gridPower"] == nil && $0["acPower_avg"] != nil })

            // The day's energy: what the day counter rose by, the first packet having no energy.
            #expect(packets.first?["energy"] == nil && packets.dropFirst().allSatisfy { $0["energy"] != nil })
            let rise = try #require(packets.last?.integer("dayEnergy")) - (try #require(packets.first?.integer("dayEnergy")))
            let archived = records.compactMap { $0.integer("energy") }.reduce(0, +)
            #expect(rise > 500 && archived == rise, "energy \(archived) Wh archived, day counter rose \(rise) Wh")

            // Each field's topic carries the summary's primary value, once per record.
            for field in try #require(expected.first?.fields) {
                let published = subscriber.messages(on: "aurora/roof/archive/\(field)").filter { !$0.retain }.map(\.text)
                #expect(published == records.map { $0[field]! }, "aurora/roof/archive/\(field)")
            }

            // The database holds the same records, each field's column its primary value.
            let rows = try ArchiveDatabase(path: directory.file("archive.sqlite")).rows()
            #expect(rows.map(\.dateTime) == expected.map(\.end))
            for (row, record) in zip(rows, records) {
                #expect(row.inverter == "roof" && row.interval == Self.interval && row.delivered)
                #expect(Int64(row.count) == record.integer("count"))
                let fields = record.keys.filter { !["dateTime", "interval", "count"].contains($0) && !$0.contains("_") }
                for field in fields {
                    let column = Self.canonical(field)
                    let text = record[field]!
                    let stored = try #require(row.fields[column], "column \(column)")
                    let float = Float(text)
                    let value = try #require(Int64(text).map(Double.init) ?? float.map(Double.init))
                    #expect(Double.fromDatabaseValue(stored) == value, "\(row.dateTime) \(column): \(stored) ≠ \(text)")
                }
                let stored = Set(row.fields.filter { !$0.value.isNull }.keys)
                #expect(stored == Set(fields.map(Self.canonical)), "the columns filled are the record's fields")
            }
        }
    }
}

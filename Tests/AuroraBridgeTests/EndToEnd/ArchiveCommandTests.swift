import AuroraBridge
import AuroraProtocol
import AuroraTestSupport
import Foundation
import GRDB
import Testing

extension ArchiveEndToEnd {
    /// `aurora-bridge archive list|export|replay` as a user runs them, on a database with known records.
    @Suite struct CommandTests {
        /// 2026-06-21 10:00 UTC, the end of the first stored interval.
        static let base: Int64 = 1_782_036_000

        /// A configuration for two inverters, a database and a broker port, written to `directory`.
        struct Setup {
            let directory: TemporaryDirectory
            let configPath: String
            let database: String
            let records: [ArchiveRecord]

            init(brokerPort: Int) async throws {
                directory = try TemporaryDirectory("archive-cli")
                database = directory.file("archive.sqlite")
                let configuration = TestBridgeConfiguration(
                    brokerPort: brokerPort, busPort: directory.file("ttyAurora"),
                    inverters: [.init(name: "roof", address: 2), .init(name: "garage", address: 3)], database: database)
                configPath = try ArchiveBench.write(configuration, in: directory)
                // Three 300 s intervals of three packets for each inverter.
                var archiver = Archiver(interval: try ArchiveInterval(seconds: 300))
                var records: [ArchiveRecord] = []
                for (offset, inverter) in ["roof", "garage"].enumerated() {
                    for step in 1...9 {
                        var fields = [
                            LoopField(name: "gridPower", value: .float(Float(1000 + 10 * step + offset) + 0.25)),
                            LoopField(name: "dayEnergy", value: .integer(Int64(100 * step))),
                        ]
                        if step > 1 { fields.append(LoopField(name: "energy", value: .integer(100))) }
                        records += archiver.add(LoopPacket(inverter: inverter, dateTime: base - 300 + Int64(step) * 100, fields: fields))
                    }
                }
                records += archiver.close(through: base + 600)
                self.records = records.sorted { ($0.dateTime, $0.inverter) < ($1.dateTime, $1.inverter) }
                let store = try ArchiveStore(path: database)
                for record in self.records { try await store.insert(record) }
                try await store.markDelivered(inverter: "roof", dateTime: base)
            }

            func run(_ arguments: [String]) async throws -> (status: Int32?, output: String) {
                try await ArchiveBench.run(["archive"] + arguments + ["--config", configPath], in: directory)
            }
        }

        @Test func listShowsOneLinePerRecord() async throws {
            let setup = try await Setup(brokerPort: 1)
            #expect(setup.records.count == 6)
            let (status, output) = try await setup.run(["list"])
            #expect(status == 0, "\(output)")
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines.count == 6, "\(output)")
            for (line, record) in zip(lines, setup.records) {
                let energy = record["energy"]!.value
                #expect(line.contains("  \(record.inverter)  ") && line.contains("\(record.count) packets") && line.contains("energy \(energy) Wh"), "\(line)")
            }
            let roof = try await setup.run(["list", "--inverter", "roof", "--from", "\(Self.base + 300)"])
            #expect(roof.output.split(separator: "\n").count == 2 && !roof.output.contains("garage"), "\(roof.output)")
        }

        @Test func exportWritesCSVJSONAndJSONLines() async throws {
            let setup = try await Setup(brokerPort: 1)

            let csv = try await setup.run(["export", "--format", "csv"])
            #expect(csv.status == 0, "\(csv.output)")
            let rows = csv.output.split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.first == ["inverter", "dateTime", "interval", "count", "gridPower", "dayEnergy", "energy"])
            #expect(rows.count == 8 && rows.last == [""], "a header, a row per record, a final line break")
            for (row, record) in zip(rows.dropFirst(), setup.records) {
                #expect(row == [record.inverter, "\(record.dateTime)", "300", "\(record.count)"] + ["gridPower", "dayEnergy", "energy"].map { record[$0]!.value.description })
            }

            let json = try await setup.run(["export", "--format", "json"])
            #expect(json.status == 0 && json.output.hasSuffix("}\n]\n"), "\(json.output)")
            let array = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
            #expect(array.map { $0["inverter"] as? String } == setup.records.map(\.inverter))
            #expect(array.map { ($0["dateTime"] as? NSNumber)?.int64Value } == setup.records.map(\.dateTime))

            let jsonl = try await setup.run(["export", "--format", "jsonl", "--from", "\(Self.base + 300)", "--to", "\(Self.base + 600)"])
            #expect(jsonl.status == 0, "\(jsonl.output)")
            let objects = try jsonl.output.split(separator: "\n").map { try FlatJSON(String($0)) }
            let selected = setup.records.filter { $0.dateTime >= Self.base + 300 }
            #expect(objects.count == 4 && jsonl.output.hasSuffix("}\n"))
            #expect(objects.map { $0.keys.first } == Array(repeating: "inverter", count: 4))
            #expect(objects.map { $0["inverter"]! + "@" + $0["dateTime"]! } == selected.map { "\($0.inverter)@\($0.dateTime)" })
            #expect(objects.map { $0["energy"] } == selected.map { $0["energy"]?.value.description })
        }

        @Test func theSQLExamplesOfTheDocumentationRunAndAddUp() async throws {
            let setup = try await Setup(brokerPort: 1)
            let text = try String(contentsOf: BuiltProduct.packageRoot.appendingPathComponent("docs/archive.md"), encoding: .utf8)
            let blocks = text.components(separatedBy: "```sql\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
            #expect(blocks.count == 3)
            let database = ArchiveDatabase(path: setup.database)
            let results = try blocks.map { try database.query($0) }
            // Energy per inverter and day: 8 packets × 100 Wh each; the day counter ends at 900 Wh.
            let daily = results.first ?? []
            #expect(daily.map { String.fromDatabaseValue($0["inverter"]!) } == ["garage", "roof"])
            #expect(daily.allSatisfy { Int64.fromDatabaseValue($0["energy_wh"]!) == 800 && Int64.fromDatabaseValue($0["day_counter_wh"]!) == 900 })
            // The records are from 2026: none in the last 24 hours; all but one undelivered.
            #expect(results.dropFirst().map(\.count) == [0, 5])
        }

        @Test func replayRepublishesARange() async throws {
            let broker = try await TestBroker.start()
            let setup = try await Setup(brokerPort: Int(broker.port))
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/+/archive")
            let (status, output) = try await setup.run(["replay", "--from", "\(Self.base + 300)", "--to", "\(Self.base + 600)"])
            #expect(status == 0 && output.contains("replayed 4 record(s)"), "\(output)")
            let expected = setup.records.filter { $0.dateTime >= Self.base + 300 }
            let messages = try await subscriber.waitUntil(count: 4)
            #expect(messages.count == 4)
            #expect(messages.map(\.topic) == expected.map { "aurora/\($0.inverter)/archive" }, "oldest first")
            #expect(messages.map(\.text) == expected.map { $0.payload() })
            let late = try await TestSubscriber.connect(to: broker, filter: "aurora/roof/archive")
            #expect(try await late.waitForMessage(topic: "aurora/roof/archive").text == expected.last { $0.inverter == "roof" }!.payload(), "retained")
        }

        @Test func replayWithoutABrokerExits69() async throws {
            let setup = try await Setup(brokerPort: Int(FreePort.loopback()))
            let started = ContinuousClock.now
            let (status, output) = try await setup.run(["replay"])
            #expect(status == 69)
            #expect(output.contains("cannot reach the MQTT broker at 127.0.0.1:"), "\(output)")
            #expect(ContinuousClock.now - started < .seconds(20), "gives up after about 10 s")
        }
    }
}

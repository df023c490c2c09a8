import AuroraBridge
import Foundation
import Testing

@Suite("Archive payloads and exports")
struct ArchivePayloadTests {
    /// Two packets of `inv1` in the interval ending at 1 700 000 100.
    func sampleRecord() throws -> ArchiveRecord {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(
            Fixture.packet(
                at: 1_700_000_000,
                ["gridPower": .float(494.79935), "dayEnergy": .integer(8600), "energy": .integer(10)]))
        _ = archiver.add(
            Fixture.packet(
                at: 1_700_000_090,
                ["gridPower": .float(480.25), "dayEnergy": .integer(8636), "energy": .integer(36)]))
        return try #require(archiver.close(through: 1_700_000_100).first)
    }

    @Test("the archive JSON has the documented shape, exactly")
    func jsonShape() throws {
        let record = try sampleRecord()
        #expect(
            record.payload()
                == #"{"dateTime":1700000100,"interval":300,"count":2,"#
                + #""gridPower":487.52466,"gridPower_min":480.25,"gridPower_max":494.79935,"gridPower_avg":487.52466,"#
                + #""dayEnergy":8636,"energy":46}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(record.payload().utf8)) as? [String: Any]
        #expect(parsed?.count == 9)
    }

    @Test("renames apply to field keys and their suffixes, not to the header")
    func renamed() throws {
        let rename: (String) -> String = { $0 == "gridPower" ? "power" : $0 }
        let payload = try sampleRecord().payload(rename: rename)
        #expect(
            payload.hasPrefix(
                #"{"dateTime":1700000100,"interval":300,"count":2,"power":487.52466,"power_min":480.25,"#))
        #expect(!payload.contains("gridPower"))
    }

    @Test("per-field topic payloads are the primary values as plain text")
    func fieldPayloads() throws {
        let payloads = try sampleRecord().fieldPayloads(rename: { $0.uppercased() })
        #expect(payloads.map(\.field) == ["GRIDPOWER", "DAYENERGY", "ENERGY"])
        #expect(payloads.map(\.text) == ["487.52466", "8636", "46"])
    }

    @Test("a measure with another primary keeps its range; non-finite values print as null")
    func overridesAndNonFinite() throws {
        var archiver = try Fixture.archiver(60, overrides: ["gridVoltage": .max])
        _ = archiver.add(Fixture.packet(at: 60, ["gridVoltage": .float(230.5), "isoResistance": .float(.infinity)]))
        let record = try #require(archiver.close(through: 60).first)
        #expect(
            record.payload()
                == #"{"dateTime":60,"interval":60,"count":1,"gridVoltage":230.5,"gridVoltage_min":230.5,"#
                + #""gridVoltage_max":230.5,"gridVoltage_avg":230.5,"isoResistance":null,"isoResistance_min":null,"#
                + #""isoResistance_max":null,"isoResistance_avg":null}"#)
    }

    @Test("field names are escaped as JSON strings")
    func escaping() throws {
        var archiver = try Fixture.archiver(60)
        _ = archiver.add(Fixture.packet(at: 60, ["a\"b\\c\u{1}": .integer(1)]))
        let record = try #require(archiver.close(through: 60).first)
        #expect(record.payload().contains(#""a\"b\\c\u0001":1"#))
        #expect((try? JSONSerialization.jsonObject(with: Data(record.payload().utf8))) != nil)
    }

    @Test("CSV: fixed columns, then every field in first-seen order; missing values are empty")
    func csv() throws {
        let first = try sampleRecord()
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(
            Fixture.packet("roof, east", at: 1_700_000_050, ["gridVoltage": .float(231.25), "energy": .integer(5)]))
        let second = try #require(archiver.close(through: 1_700_000_100).first)
        #expect(
            ArchiveExport.csv([first, second])
                == """
                inverter,dateTime,interval,count,gridPower,dayEnergy,energy,gridVoltage
                inv1,1700000100,300,2,487.52466,8636,46,
                "roof, east",1700000100,300,1,,,5,231.25

                """)
        #expect(ArchiveExport.csv([]) == "inverter,dateTime,interval,count\n")
    }

    @Test("JSON lines and JSON array: the payload with the inverter first")
    func json() throws {
        let record = try sampleRecord()
        let object = #"{"inverter":"inv1","# + record.payload().dropFirst()
        #expect(ArchiveExport.jsonLines([record, record]) == object + "\n" + object + "\n")
        #expect(ArchiveExport.jsonArray([record, record]) == "[\n" + object + ",\n" + object + "\n]\n")
        #expect(ArchiveExport.jsonArray([]) == "[]\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(ArchiveExport.jsonArray([record]).utf8)) as? [Any]
        #expect(parsed?.count == 1)
    }
}

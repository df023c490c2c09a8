import AuroraProtocol
import AuroraBridge
import AuroraSimulator
import Foundation
import Testing

@Suite("Extractors and field summaries")
struct ExtractorTests {
    @Test("default extractors: sum for energy, last for counters and the inverter clock, avg otherwise")
    func defaults() {
        #expect(Extractor.primary(for: "energy") == .sum)
        for counter in ["dayEnergy", "weekEnergy", "monthEnergy", "yearEnergy", "totalEnergy", "partialEnergy"] {
            #expect(Extractor.primary(for: counter) == .last)
        }
        #expect(Extractor.primary(for: "inverterDateTime") == .last)
        for measure in ["gridPower", "gridVoltage", "isoResistance", "someFutureField"] {
            #expect(Extractor.primary(for: measure) == .avg)
        }
    }

    @Test("an override replaces the default for its field only")
    func overrides() {
        let overrides: [String: Extractor] = ["gridPower": .max, "energy": .count]
        #expect(Extractor.primary(for: "gridPower", overrides: overrides) == .max)
        #expect(Extractor.primary(for: "energy", overrides: overrides) == .count)
        #expect(Extractor.primary(for: "gridVoltage", overrides: overrides) == .avg)
    }

    @Test("statistics match a straightforward computation over seeded random packets", arguments: [1, 7, 42])
    func randomPackets(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let end: Int64 = 1_700_000_100
        var archiver = try Fixture.archiver(300)
        var powers: [Float] = []
        var temps: [Float] = []
        var counters: [Int64] = []
        var counter = Int64.random(in: 0...10_000, using: &random)
        var times = Array(Set((0..<40).map { _ in end - Int64.random(in: 0...299, using: &random) })).sorted()
        times.shuffle(using: &random)  // within one interval, order of arrival does not matter
        var newest: (time: Int64, power: Float, counter: Int64)?
        for time in times {
            let power = Float.random(in: -5...5000, using: &random)
            counter += Int64.random(in: 0...40, using: &random)
            var fields = [LoopField(name: "gridPower", value: .float(power))]
            powers.append(power)
            if Bool.random(using: &random) {  // a field missing from some packets
                let temp = Float.random(in: 10...60, using: &random)
                fields.append(LoopField(name: "inverterTemp", value: .float(temp)))
                temps.append(temp)
            }
            fields.append(LoopField(name: "dayEnergy", value: .integer(counter)))
            counters.append(counter)
            if time > newest?.time ?? .min { newest = (time, power, counter) }
            #expect(archiver.add(LoopPacket(inverter: "inv1", dateTime: time, fields: fields)).isEmpty)
        }
        let record = try #require(archiver.close(through: end).first)
        #expect(record.count == times.count)
        #expect(record.dateTime == end)

        let power = try #require(record["gridPower"])
        let powerSum = powers.reduce(0.0) { $0 + Double($1) }
        #expect(power.count == powers.count)
        #expect(power.min == .float(powers.min() ?? .nan))
        #expect(power.max == .float(powers.max() ?? .nan))
        #expect(power.last == .float(newest?.power ?? .nan))
        #expect(abs(power.sum.double - powerSum) <= abs(powerSum) * 1e-6)
        #expect(abs(power.avg.double - powerSum / Double(powers.count)) <= 1e-3)
        #expect(power.value == power.avg)

        let temp = try #require(record["inverterTemp"])
        #expect(temp.count == temps.count)
        #expect(temp.min == .float(temps.min() ?? .nan))
        #expect(temp.max == .float(temps.max() ?? .nan))

        let day = try #require(record["dayEnergy"])
        #expect(day.sum == .integer(counters.reduce(0, +)))
        #expect(day.min == .integer(counters.min() ?? 0))
        #expect(day.max == .integer(counters.max() ?? 0))
        #expect(day.last == .integer(newest?.counter ?? 0))
        #expect(day.value == day.last)
        #expect(day.avg == .double(Double(counters.reduce(0, +)) / Double(counters.count)))
    }

    @Test("integer fields keep integer values; energy stays integer when every input is")
    func integersStayIntegers() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.packet(at: 10, ["inverterDateTime": .integer(1_000), "energy": .integer(3)]))
        _ = archiver.add(Fixture.packet(at: 20, ["inverterDateTime": .integer(1_010), "energy": .integer(4)]))
        _ = archiver.add(Fixture.packet(at: 30, ["inverterDateTime": .integer(1_020), "energy": .integer(0)]))
        let record = try #require(archiver.close(through: 300).first)
        let clock = try #require(record["inverterDateTime"])
        #expect(clock.value == .integer(1_020))
        #expect(clock.min == .integer(1_000))
        #expect(clock.max == .integer(1_020))
        let energy = try #require(record["energy"])
        #expect(energy.value == .integer(7))
        #expect(energy.value.description == "7")
        #expect(energy.min == .integer(0))
        #expect(energy.avg.description == "2.3333333333333335")
    }

    @Test("an integer field with a double input sums as a double")
    func mixedTypes() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.packet(at: 10, ["energy": .integer(3)]))
        _ = archiver.add(Fixture.packet(at: 20, ["energy": .double(0.5)]))
        let energy = try #require(archiver.close(through: 300).first?["energy"])
        #expect(energy.sum == .double(3.5))
        #expect(energy.min == .double(0.5))
        #expect(energy.max == .integer(3))
    }

    @Test("float min, max and last print exactly like the loop values")
    func floatsPrintIdentically() throws {
        let values: [Float] = [494.79935, 0.1, 1e-05, 230.70001, 49.98]
        var archiver = try Fixture.archiver(300)
        for (index, value) in values.enumerated() {
            _ = archiver.add(Fixture.power(at: Int64(10 + index), value))
        }
        let power = try #require(archiver.close(through: 300).first?["gridPower"])
        #expect(power.min.description == "1e-05")
        #expect(power.max.description == "494.79935")
        #expect(power.last.description == "49.98")
        #expect(power.max.description == FieldValue.float(494.79935).description)
    }

    @Test("the average of one float prints like the float")
    func singleFloatAverage() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power(at: 10, 494.79935))
        let power = try #require(archiver.close(through: 300).first?["gridPower"])
        #expect(power.avg.description == "494.79935")
        #expect(power.sum.description == "494.79935")
    }

    @Test("count as the primary is the number of packets with the field, as an integer")
    func countExtractor() throws {
        var archiver = try Fixture.archiver(300, overrides: ["gridPower": .count])
        _ = archiver.add(Fixture.power(at: 10))
        _ = archiver.add(Fixture.packet(at: 20, ["dayEnergy": .integer(5)]))
        _ = archiver.add(Fixture.power(at: 30))
        let record = try #require(archiver.close(through: 300).first)
        #expect(record.count == 3)
        #expect(record["gridPower"]?.value == .integer(2))
        #expect(record["gridPower"]?.extractor == .count)
    }

    @Test("the sum of energy over a synthetic day equals the rise of the day counter")
    func energyMatchesDayCounter() throws {
        var random = SeededGenerator(seed: 2024)
        var archiver = try Fixture.archiver(300)
        let start: Int64 = 1_700_006_400  // a midnight-aligned multiple of 300
        var day: Int64 = 0
        var previous: Int64?
        var records: [ArchiveRecord] = []
        var time = start + 5
        while time < start + 86_400 {
            let hour = Double(time - start) / 3600
            let sun = max(0, sin((hour - 6) / 12 * .pi))
            day += Int64((sun * 25 * Double.random(in: 0.8...1.2, using: &random)).rounded())
            var fields = [LoopField(name: "dayEnergy", value: .integer(day))]
            if let previous { fields.append(LoopField(name: "energy", value: .integer(day - previous))) }
            previous = day
            records += archiver.add(LoopPacket(inverter: "inv1", dateTime: time, fields: fields))
            time += Int64.random(in: 8...12, using: &random)
        }
        records += archiver.close(through: start + 86_400)
        #expect(records.count == 288)
        let energy = records.compactMap { $0["energy"]?.value }
        #expect(energy.allSatisfy { if case .integer = $0 { true } else { false } })
        #expect(energy.reduce(0) { $0 + Int64($1.double) } == day)
        // And per interval: the energy of an interval is the rise of the counter's last value.
        for (earlier, later) in zip(records, records.dropFirst()) {
            let rise = (later["dayEnergy"]?.value.double ?? 0) - (earlier["dayEnergy"]?.value.double ?? 0)
            #expect(later["energy"]?.value.double == rise)
        }
    }
}

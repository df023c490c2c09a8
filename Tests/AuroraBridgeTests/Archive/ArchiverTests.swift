import AuroraBridge
import Foundation
import Testing

@Suite("Archiver: intervals, closing, order, snapshots")
struct ArchiverTests {
    let boundary: Int64 = 1_700_000_100  // a multiple of 300

    @Test("a packet of a later interval closes the open one; a packet on the boundary stays in it")
    func rollOver() throws {
        var archiver = try Fixture.archiver(300)
        #expect(archiver.add(Fixture.power(at: boundary - 200, 10)).isEmpty)
        #expect(archiver.add(Fixture.power(at: boundary, 20)).isEmpty)
        let closed = archiver.add(Fixture.power(at: boundary + 1, 30))
        #expect(closed.count == 1)
        let record = try #require(closed.first)
        #expect(record.dateTime == boundary)
        #expect(record.interval == 300)
        #expect(record.count == 2)
        #expect(record["gridPower"]?.last == .float(20))
    }

    @Test("1 s intervals: each second's packet is its own record")
    func oneSecondIntervals() throws {
        var archiver = try Fixture.archiver(1)
        var records: [ArchiveRecord] = []
        for t in boundary..<(boundary + 5) {
            records += archiver.add(Fixture.power(at: t, Float(t - boundary)))
        }
        records += archiver.close(through: boundary + 4)
        #expect(records.map(\.dateTime) == Array(boundary..<(boundary + 5)))
        #expect(records.allSatisfy { $0.count == 1 && $0.interval == 1 })
    }

    @Test("an interval without packets gives no record, even when skipped over")
    func emptyIntervals() throws {
        var archiver = try Fixture.archiver(300)
        #expect(archiver.close(through: boundary - 300).isEmpty)
        _ = archiver.add(Fixture.power(at: boundary - 10))
        let closed = archiver.add(Fixture.power(at: boundary + 1000))  // skips two intervals
        #expect(closed.map(\.dateTime) == [boundary])
        #expect(archiver.close(through: boundary + 900).isEmpty)
        #expect(archiver.close(through: boundary + 1200).map(\.dateTime) == [boundary + 1200])
        #expect(archiver.close(through: boundary + 3000).isEmpty)
    }

    @Test("a partly filled interval gives a record over the packets it had, with their count")
    func partialInterval() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power(at: boundary - 40, 1))
        _ = archiver.add(Fixture.power(at: boundary - 20, 3))
        let record = try #require(archiver.close(through: boundary).first)
        #expect(record.count == 2)
        #expect(record["gridPower"]?.avg == .float(2))
    }

    @Test("close(through:) closes exactly the intervals that have ended, on time")
    func closeOnTime() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power("a", at: boundary - 100))
        _ = archiver.add(Fixture.power("b", at: boundary + 100))
        #expect(archiver.close(through: boundary - 1).isEmpty)
        #expect(archiver.close(through: boundary).map(\.inverter) == ["a"])
        #expect(archiver.close(through: boundary + 299).isEmpty)
        #expect(archiver.close(through: boundary + 300).map(\.inverter) == ["b"])
        #expect(archiver.snapshot().isEmpty)
    }

    @Test("records closed together come oldest first, then by inverter")
    func closeOrder() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power("b", at: boundary))
        _ = archiver.add(Fixture.power("c", at: boundary - 300))
        _ = archiver.add(Fixture.power("a", at: boundary))
        let records = archiver.close(through: boundary)
        #expect(records.map(\.inverter) == ["c", "a", "b"])
        #expect(records.map(\.dateTime) == [boundary - 300, boundary, boundary])
    }

    @Test("inverters are archived independently")
    func multipleInverters() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power("a", at: boundary - 10, 1))
        _ = archiver.add(Fixture.power("b", at: boundary - 10, 5))
        let closed = archiver.add(Fixture.power("a", at: boundary + 10, 2))
        #expect(closed.map(\.inverter) == ["a"])
        #expect(archiver.snapshot().map(\.inverter) == ["a", "b"])
        let rest = archiver.close(through: boundary)
        #expect(rest.map(\.inverter) == ["b"])
        #expect(rest.first?["gridPower"]?.avg == .float(5))
    }

    @Test("a packet older than the open interval is ignored and counted")
    func outOfOrder() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power(at: boundary + 10, 1))
        #expect(archiver.add(Fixture.power(at: boundary - 10, 99)).isEmpty)
        #expect(archiver.ignoredPackets == 1)
        let record = try #require(archiver.close(through: boundary + 300).first)
        #expect(record.count == 1)
        #expect(record["gridPower"]?.max == .float(1))
    }

    @Test("a packet of an interval already closed by the timer is ignored, so no record repeats")
    func lateAfterClose() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power("a", at: boundary - 50))
        #expect(archiver.close(through: boundary).count == 1)
        #expect(archiver.add(Fixture.power("a", at: boundary - 1)).isEmpty)
        #expect(archiver.add(Fixture.power("b", at: boundary)).isEmpty)  // b had no open interval
        #expect(archiver.ignoredPackets == 2)
        #expect(archiver.snapshot().isEmpty)
        #expect(archiver.add(Fixture.power("a", at: boundary + 1)).isEmpty)
        #expect(archiver.snapshot().map(\.end) == [boundary + 300])
    }

    @Test("within an interval, last is the newest packet's value even if packets arrive out of order")
    func lastByTime() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power(at: boundary - 10, 2))
        _ = archiver.add(Fixture.power(at: boundary - 20, 1))
        #expect(archiver.close(through: boundary).first?["gridPower"]?.last == .float(2))
    }

    @Test("fields keep first-seen order, including fields that appear later")
    func fieldOrder() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.packet(at: 10, ["gridPower": .float(1), "dayEnergy": .integer(5)]))
        _ = archiver.add(
            Fixture.packet(at: 20, ["energy": .integer(1), "gridVoltage": .float(230), "gridPower": .float(2)]))
        let record = try #require(archiver.close(through: 300).first)
        #expect(record.fields.map(\.name) == ["gridPower", "dayEnergy", "energy", "gridVoltage"])
        #expect(record["energy"]?.count == 1)
        #expect(record["gridPower"]?.count == 2)
    }

    @Test("snapshot and restore within the same interval continue as if never stopped")
    func restoreSameInterval() throws {
        var straight = try Fixture.archiver(300)
        var first = try Fixture.archiver(300)
        let packets = [
            Fixture.packet(at: boundary - 200, ["gridPower": .float(494.79935), "dayEnergy": .integer(100)]),
            Fixture.packet("b", at: boundary - 150, ["gridPower": .float(12.5)]),
            Fixture.packet(at: boundary - 100, ["gridPower": .float(0.1), "dayEnergy": .integer(103)]),
        ]
        for packet in packets.prefix(2) {
            _ = straight.add(packet)
            _ = first.add(packet)
        }
        // Save through JSON, as the store does.
        let saved = try JSONDecoder().decode(
            [IntervalAccumulator].self, from: JSONEncoder().encode(first.snapshot()))
        #expect(saved == first.snapshot())
        var second = try Fixture.archiver(300)
        #expect(second.restore(saved).isEmpty)
        #expect(second.close(through: boundary - 50).isEmpty)
        _ = straight.add(packets[2])
        _ = second.add(packets[2])
        #expect(second.close(through: boundary) == straight.close(through: boundary))
    }

    @Test("a saved interval that ended while the daemon was down is closed by the first close(through:)")
    func restoreAfterBoundary() throws {
        var first = try Fixture.archiver(300)
        _ = first.add(Fixture.power(at: boundary - 30, 7))
        var second = try Fixture.archiver(300)
        #expect(second.restore(first.snapshot()).isEmpty)
        let records = second.close(through: boundary + 900)
        #expect(records.map(\.dateTime) == [boundary])
        #expect(records.first?.count == 1)
    }

    @Test("a saved interval of another length, or for an inverter already open, is closed at once")
    func restoreConflicts() throws {
        var old = try Fixture.archiver(60)
        _ = old.add(Fixture.power("a", at: boundary - 30))
        var other = try Fixture.archiver(300)
        _ = other.add(Fixture.power("b", at: boundary - 30))
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power("b", at: boundary + 30))
        let closed = archiver.restore(old.snapshot() + other.snapshot())
        #expect(closed.map(\.inverter) == ["a", "b"])
        #expect(closed.map(\.interval) == [60, 300])
        #expect(archiver.snapshot().map(\.end) == [boundary + 300])
    }

    @Test("a saved interval that is empty or misaligned is refused when decoded")
    func invalidSavedState() throws {
        var archiver = try Fixture.archiver(300)
        _ = archiver.add(Fixture.power(at: boundary - 30))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try #require(String(data: encoder.encode(archiver.snapshot()[0]), encoding: .utf8))
        for broken in [
            json.replacingOccurrences(of: "\"end\":\(boundary)", with: "\"end\":\(boundary + 1)"),
            json.replacingOccurrences(of: "\"count\":1,\"end\"", with: "\"count\":0,\"end\""),
        ] {
            #expect(broken != json)
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(IntervalAccumulator.self, from: Data(broken.utf8))
            }
        }
    }

    @Test("IntervalAccumulator refuses packets outside its interval or of another inverter")
    func accumulatorBounds() throws {
        let interval = try ArchiveInterval(seconds: 300)
        var accumulator = IntervalAccumulator(first: Fixture.power(at: boundary), interval: interval)
        #expect(accumulator.end == boundary)
        let added = [
            Fixture.power(at: boundary - 299), Fixture.power(at: boundary - 300),
            Fixture.power(at: boundary + 1), Fixture.power("other", at: boundary),
        ].map { accumulator.add($0) }
        #expect(added == [true, false, false, false])
        #expect(accumulator.count == 2)
    }
}

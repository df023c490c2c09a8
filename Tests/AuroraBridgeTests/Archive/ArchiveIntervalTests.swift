import AuroraBridge
import Testing

@Suite("Archive interval alignment")
struct ArchiveIntervalTests {
    @Test("300 s: a stamp on a boundary belongs to the interval ending there, one after it to the next")
    func fiveMinuteBoundaries() throws {
        let interval = try ArchiveInterval(seconds: 300)
        let boundary: Int64 = 1_700_000_100  // a multiple of 300
        #expect(boundary % 300 == 0)
        #expect(interval.end(containing: boundary - 299) == boundary)
        #expect(interval.end(containing: boundary - 1) == boundary)
        #expect(interval.end(containing: boundary) == boundary)
        #expect(interval.end(containing: boundary + 1) == boundary + 300)
        #expect(interval.end(containing: boundary - 300) == boundary - 300)
    }

    @Test("1 s: every second is its own interval")
    func oneSecond() throws {
        let interval = try ArchiveInterval(seconds: 1)
        for t: Int64 in [-3, 0, 1, 59, 1_700_000_001] {
            #expect(interval.end(containing: t) == t)
        }
    }

    @Test("alignment holds before the epoch")
    func negativeTimes() throws {
        let interval = try ArchiveInterval(seconds: 300)
        #expect(interval.end(containing: -1) == 0)
        #expect(interval.end(containing: -300) == -300)
        #expect(interval.end(containing: -301) == -300)
    }

    @Test("an interval shorter than a second is refused with a message naming the setting")
    func invalid() {
        for seconds: Int64 in [0, -5] {
            #expect(throws: ArchiveError.invalidInterval(seconds)) { try ArchiveInterval(seconds: seconds) }
        }
        #expect(ArchiveError.invalidInterval(0).description.contains("[archive] interval"))
    }
}

import AuroraProtocol
import AuroraBridge
import Foundation

/// A deterministic random number generator (SplitMix64), so "random" packets are the same on
/// every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds loop packets tersely.
enum Fixture {
    /// An archiver with intervals of `seconds`.
    static func archiver(_ seconds: Int64 = 300, overrides: [String: Extractor] = [:]) throws -> Archiver {
        Archiver(interval: try ArchiveInterval(seconds: seconds), overrides: overrides)
    }

    /// A packet of `inverter` at `dateTime` with the given fields, in order.
    static func packet(_ inverter: String = "inv1", at dateTime: Int64, _ fields: KeyValuePairs<String, FieldValue>)
        -> LoopPacket
    {
        LoopPacket(
            inverter: inverter, dateTime: dateTime,
            fields: fields.map { LoopField(name: $0.key, value: $0.value) })
    }

    /// A packet with one float field `gridPower`.
    static func power(_ inverter: String = "inv1", at dateTime: Int64, _ watts: Float = 100) -> LoopPacket {
        packet(inverter, at: dateTime, ["gridPower": .float(watts)])
    }
}

/// Runs `body` with a new empty folder, and deletes the folder afterwards, whatever happens.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("archive-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try await body(folder)
}

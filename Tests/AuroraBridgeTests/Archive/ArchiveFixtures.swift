import AuroraProtocol
import AuroraBridge
import Foundation

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

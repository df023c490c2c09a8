import AuroraBridge
import AuroraProtocol
import Foundation
import Mosquitto

/// Records, a publisher and a store for the delivery tests.
enum DeliveryFixture {
    /// The first interval's start.
    static let origin: Int64 = 1_750_000_000 / 60 * 60

    /// A publisher for the minimal configuration (inverter `inverter`) sending through `output`.
    static func publisher(_ output: any MQTTOutput) throws -> Publisher {
        Publisher(client: output, configuration: try parse(minimalConfig))
    }

    /// `count` one-minute records of inverter `inverter`, oldest first, each with `fields`
    /// float fields (so `fields` + 1 messages each).
    static func records(_ count: Int, fields: Int = 2, from start: Int = 0) throws -> [ArchiveRecord] {
        var archiver = Archiver(interval: try ArchiveInterval(seconds: 60))
        var records: [ArchiveRecord] = []
        for index in start..<(start + count) {
            let packet = LoopPacket(
                inverter: "inverter", dateTime: origin + Int64(index) * 60 + 30,
                fields: (0..<fields).map { LoopField(name: "field\($0)", value: .float(Float(index))) })
            records += archiver.add(packet)
        }
        records += archiver.close(through: origin + Int64(start + count) * 60)
        return records
    }

    /// A new store in `folder` holding `records`, undelivered.
    static func store(in folder: String, holding records: [ArchiveRecord], busyTimeout: Duration = .seconds(5)) async throws -> ArchiveStore {
        let store = try ArchiveStore(path: folder + "/archive.sqlite", busyTimeout: busyTimeout)
        for record in records { try await store.insert(record) }
        return store
    }
}

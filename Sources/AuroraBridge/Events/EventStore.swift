import Logging

/// Where events are kept: the archive database (``ArchiveStore``), or a stand-in in tests.
public protocol EventStore: Sendable {
    /// Stores an event, not yet delivered; returns its place in the log.
    func insert(_ event: BridgeEvent) async throws(ArchiveStoreError) -> Int64
    /// The last-alarms list of an inverter as last stored, or nil.
    func lastAlarms(serialNumber: String) async throws(ArchiveStoreError) -> [UInt8]?
    /// Stores an inverter's last-alarms list as just read.
    func saveLastAlarms(_ codes: [UInt8], serialNumber: String) async throws(ArchiveStoreError)
}

extension ArchiveStore: EventStore {
    /// Stores `event` with its published payload, not yet delivered; returns its place in the log.
    @discardableResult
    public func insert(_ event: BridgeEvent) async throws(ArchiveStoreError) -> Int64 {
        try await insertEvent(dateTime: event.dateTime, source: event.source, type: event.type.rawValue, payload: event.json.description)
    }
}

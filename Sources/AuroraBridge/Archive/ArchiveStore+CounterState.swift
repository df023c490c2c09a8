import Foundation
import GRDB

/// The energy counters' state (table `counter_state`, schema version 3): one ``CounterGuard``
/// per inverter serial number, as JSON, so that `totalEnergy`'s high-water mark and the `energy`
/// baseline survive restarts, and a replaced inverter (another serial number) starts fresh.
extension ArchiveStore: CounterStateStore {
    /// The guard stored for `serialNumber`, or nil if there is none.
    /// - Throws: ``ArchiveStoreError/failed(operation:path:reason:)`` if it cannot be read or
    ///   decoded (the caller then guards from memory only).
    public func counterGuard(serialNumber: String) async throws(ArchiveStoreError) -> CounterGuard? {
        let state: String?
        do {
            state = try await pool.read { db in
                try String.fetchOne(db, sql: "SELECT state FROM counter_state WHERE serialNumber = ?", arguments: [serialNumber])
            }
        } catch is CancellationError {
            throw .cancelled(operation: "read the energy counters")
        } catch {
            throw .failed(operation: "read the energy counters", path: path, reason: String(describing: error))
        }
        guard let state else { return nil }
        do {
            return try JSONDecoder().decode(CounterGuard.self, from: Data(state.utf8))
        } catch {
            throw .failed(operation: "decode the energy counters", path: path, reason: String(describing: error))
        }
    }

    /// Stores `counterGuard` for `serialNumber`, replacing what was there.
    public func saveCounterGuard(_ counterGuard: CounterGuard, serialNumber: String) async throws(ArchiveStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let state: String
        do {
            state = String(decoding: try encoder.encode(counterGuard), as: UTF8.self)
        } catch {
            throw .failed(operation: "encode the energy counters", path: path, reason: String(describing: error))
        }
        do {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO counter_state (serialNumber, state) VALUES (?, ?)",
                    arguments: [serialNumber, state])
            }
        } catch is CancellationError {
            throw .cancelled(operation: "store the energy counters")
        } catch {
            throw .failed(operation: "store the energy counters", path: path, reason: String(describing: error))
        }
    }
}

/// Where the poller keeps each inverter's ``CounterGuard`` between runs, keyed by the
/// inverter's serial number (a replaced inverter starts fresh). The bridge uses its
/// ``ArchiveStore``.
public protocol CounterStateStore: Sendable {
    /// The guard stored for `serialNumber`, or nil if there is none.
    func counterGuard(serialNumber: String) async throws -> CounterGuard?
    /// Stores `counterGuard` for `serialNumber`, replacing what was there.
    func saveCounterGuard(_ counterGuard: CounterGuard, serialNumber: String) async throws
}

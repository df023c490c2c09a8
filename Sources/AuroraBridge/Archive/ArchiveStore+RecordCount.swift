import GRDB

extension ArchiveStore {
    /// How many records of `inverters` end within `from...to` (Unix seconds), delivered or not:
    /// the status page's "records today". Each inverter's count is a range of the primary key.
    public func recordCount(inverters: [String], from: Int64, to: Int64) async throws(ArchiveStoreError) -> Int {
        try await read("count records") { db in
            try inverters.reduce(0) { total, inverter in
                let count = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM archive WHERE inverter = ? AND dateTime BETWEEN ? AND ?",
                    arguments: [inverter, from, to])
                return total + (count ?? 0)
            }
        }
    }
}

import GRDB

/// A second connection to an archive that holds its write lock, as a `sqlite3` session in a
/// transaction or a backup tool would.
final class WriteLock: Sendable {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the point: a transaction left open
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    func take() throws { try queue.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") } }

    func release() throws { try queue.writeWithoutTransaction { try $0.execute(sql: "COMMIT") } }
}

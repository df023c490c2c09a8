/// Why the archive database could not do what was asked, and what to do about it.
public enum ArchiveStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The folder that should hold the database file could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The database file could not be opened or created, or its schema could not be brought
    /// up to date.
    case cannotOpen(path: String, reason: String)
    /// A query or update failed on an open database.
    case failed(operation: String, path: String, reason: String)
    /// A stored record's `summary` could not be read back.
    case unreadableRecord(path: String, inverter: String, dateTime: Int64, reason: String)
    /// A saved open interval could not be read back.
    case unreadablePartial(path: String, inverter: String, reason: String)
    /// The calling task was cancelled, so the operation did not complete.
    case cancelled(operation: String)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            "cannot create the folder for the archive database \(path): \(reason). "
                + "Create it with write access for the bridge's user, or set [archive] database to a writable path."
        case .cannotOpen(let path, let reason):
            "cannot open the archive database \(path): \(reason). "
                + "Check that the file and its folder are writable by the bridge's user and that the file is an "
                + "aurora-bridge archive, or set [archive] database to another path."
        case .failed(let operation, let path, let reason):
            "archive database \(path): \(operation) failed: \(reason). "
                + "Check free disk space and the file's permissions; if the file is damaged, move it aside "
                + "(undelivered records in it will not be published)."
        case .unreadableRecord(let path, let inverter, let dateTime, let reason):
            "archive database \(path): the record of \(inverter) at \(dateTime) cannot be read (\(reason)). "
                + "Delete that row with sqlite3: DELETE FROM archive "
                + "WHERE inverter = \(Self.sqlText(inverter)) AND dateTime = \(dateTime);"
        case .unreadablePartial(let path, let inverter, let reason):
            "archive database \(path): the saved open interval of \(inverter) cannot be read (\(reason)). "
                + "Delete it with sqlite3: DELETE FROM open_interval WHERE inverter = \(Self.sqlText(inverter)); "
                + "(its packets are lost)"
        case .cancelled(let operation):
            "archive database: \(operation) was cancelled (its task was cancelled, e.g. at shutdown); "
                + "retry it if it is still needed"
        }
    }

    /// `text` as an SQL string literal, for the commands the messages suggest.
    private static func sqlText(_ text: String) -> String {
        "'" + text.replacing("'", with: "''") + "'"
    }
}

/// A mistake in how the archive aggregation is set up.
public enum ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The archive interval is shorter than one second.
    case invalidInterval(Int64)

    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .invalidInterval(let seconds):
            "archive interval \(seconds) s is invalid: "
                + "set [archive] interval to a whole number of seconds ≥ 1 (e.g. 300)"
        }
    }
}

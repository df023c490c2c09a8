/// Why a `summary` BLOB could not be read as a ``SummaryBlob``.
struct SummaryBlobError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `the blob ends early`.
    let problem: String
    /// The byte offset in the blob where reading failed (the start of the field, for a bad field).
    let offset: Int

    init(_ problem: String, offset: Int) {
        self.problem = problem
        self.offset = offset
    }

    /// The problem and where, e.g. `bad summary blob at byte 17: the blob ends early`.
    var description: String {
        "bad summary blob at byte \(offset): \(problem)"
    }
}

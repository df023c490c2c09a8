/// A measurement could not be made (a process did not start, a broker did not answer, data went
/// missing): the bench exits non-zero with this text. A missed target is not an error.
struct BenchmarkError: Error, CustomStringConvertible {
    /// What failed and, where it helps, where to look.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

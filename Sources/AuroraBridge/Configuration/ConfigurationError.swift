/// Everything wrong with a configuration file, one problem per line.
///
/// Each problem names the file, the line (when the file has one for it), the table and key, and
/// what is allowed, e.g. `bridge.conf:12: [mqtt] port: expected an integer from 1 to 65535, got "abc"`.
/// Problems are sorted by line, so they read like the file.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The problems found, in line order (problems without a line come last).
    public var problems: [Problem]

    /// An error from its problems; they are sorted by line.
    public init(problems: [Problem]) {
        self.problems = problems.enumerated().sorted { lhs, rhs in
            switch (lhs.element.line, rhs.element.line) {
            case let (left?, right?) where left != right: left < right
            case (.some, nil): true
            case (nil, .some): false
            default: lhs.offset < rhs.offset
            }
        }.map(\.element)
    }

    /// An error with a single problem.
    public init(_ problem: Problem) {
        self.problems = [problem]
    }

    /// Every problem on its own line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

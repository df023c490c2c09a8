extension ConfigurationError {
    /// One thing wrong with a configuration file, and where.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The file, as the user named it.
        public var file: String
        /// The 1-based line, when the problem has one.
        public var line: Int?
        /// The 1-based column, for TOML syntax errors.
        public var column: Int?
        /// What is wrong: a table and key such as `[mqtt] port`, a table such as `[mqtt.tls]`,
        /// or empty when the problem is about the whole file.
        public var subject: String
        /// What is wrong and what is allowed instead.
        public var message: String

        /// A problem from its parts.
        public init(file: String, line: Int? = nil, column: Int? = nil, subject: String, message: String) {
            self.file = file
            self.line = line
            self.column = column
            self.subject = subject
            self.message = message
        }

        /// `file:line[:column]: subject: message`.
        public var description: String {
            var location = file
            if let line {
                location += ":\(line)"
                if let column { location += ":\(column)" }
            }
            return subject.isEmpty ? "\(location): \(message)" : "\(location): \(subject): \(message)"
        }
    }
}

import AuroraTestSupport

/// A program the status tests need from Debian (`make deps` installs it): they fail, never skip,
/// without it, so that CI cannot pass them by not running them.
enum RequiredTool {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// The path of `name`, from the Debian package `package`.
    /// - Throws: ``Missing`` saying to run `make deps`.
    static func path(_ name: String, package: String) throws -> String {
        guard let path = ExternalTool.find(name) else {
            throw Missing(description: "\(name) is not installed; `make deps` installs it (Debian package \(package))")
        }
        return path
    }
}

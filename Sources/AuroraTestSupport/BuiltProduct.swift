import Foundation

/// The package's executables as built by `swift build --build-tests`, found next to the test
/// bundle (or in `.build/debug`), for tests that run them as subprocesses.
public enum BuiltProduct {
    /// The path of the executable `name` (e.g. `aurora-bridge`).
    public static func path(_ name: String) -> String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside.path }
        return packageRoot.appendingPathComponent(".build/debug/\(name)").path
    }

    /// The package's root directory.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

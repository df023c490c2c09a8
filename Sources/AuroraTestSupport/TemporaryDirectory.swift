import Foundation

/// A fresh directory under the system's temporary directory, removed when the value goes.
public final class TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    /// Creates `…/aurora-<prefix>-<uuid>`.
    public init(_ prefix: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

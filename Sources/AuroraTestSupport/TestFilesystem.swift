import Foundation

/// A small tmpfs mounted on a temporary folder, for tests of a full disk: the database lives on
/// it, ``fill()`` takes every free byte, ``empty()`` gives them back. Needs the right to mount
/// (root, or `CAP_SYS_ADMIN`); ``mount(megabytes:)`` says so when it is missing.
public final class TestFilesystem: Sendable {
    /// Mounting is not permitted here.
    public struct NotPermitted: Error, CustomStringConvertible {
        /// Why.
        public let reason: String
        public var description: String { "cannot mount a tmpfs for the test (run the tests as root): \(reason)" }
    }

    /// The mounted folder.
    public let path: String
    private let folder: TemporaryDirectory

    private init(folder: TemporaryDirectory) {
        self.folder = folder
        self.path = folder.path
    }

    /// Whether this process may mount (runs as root); a cheap check for `.enabled(if:)`.
    public static var mayMount: Bool { geteuid() == 0 && ExternalTool.find("mount") != nil }

    /// Mounts a tmpfs of `megabytes` on a fresh temporary folder.
    /// - Throws: ``NotPermitted`` if the mount fails.
    public static func mount(megabytes: Int) async throws -> TestFilesystem {
        let folder = try TemporaryDirectory("tmpfs")
        guard let mount = ExternalTool.find("mount") else { throw NotPermitted(reason: "no mount command") }
        do {
            try await ExternalTool.run(mount, ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", folder.path])
        } catch {
            throw NotPermitted(reason: "\(error)")
        }
        return TestFilesystem(folder: folder)
    }

    /// `name` on the filesystem.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes a filler file until the filesystem has no byte left.
    public func fill() {
        let filler = file("filler")
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: filler) else { return }
        defer { try? handle.close() }
        // tmpfs hands out whole pages: page-sized writes fill it to the last byte.
        let page = Data(count: 4_096)
        while (try? handle.write(contentsOf: page)) != nil {}
    }

    /// Removes the filler: the space is free again.
    public func empty() {
        try? FileManager.default.removeItem(atPath: file("filler"))
    }

    /// Unmounts the filesystem (lazily, so a process still holding a file does not keep it).
    public func unmount() async {
        if let umount = ExternalTool.find("umount") { _ = try? await ExternalTool.run(umount, ["-l", path]) }
    }
}

import Foundation

/// Runs blocking work (poll, read, write, waitpid) on a thread of its own, so tests never block
/// one of the cooperative pool's few threads.
public enum Blocking {
    /// The result of `body`, run on a new thread.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

import Foundation

/// Runs blocking work (joining libmosquitto's network thread) on a fresh thread, so it never
/// occupies one of the few Swift concurrency pool threads.
enum BlockingThread {
    static func run(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                work()
                continuation.resume()
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dedicated POSIX thread for a server's blocking loop (poll, read, write, delays), so that
/// blocking I/O never occupies a thread of Swift's cooperative pool.
final class ServingThread: Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private let thread: pthread_t

    /// Starts `body` on a new thread.
    /// - Throws: ``SimulatorError/systemCall(_:errno:)`` if the thread cannot be created.
    init(_ body: @escaping @Sendable () -> Void) throws(SimulatorError) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw .systemCall("pthread_create", errno: result)
        }
        self.thread = thread
    }

    /// Waits until the body has returned. Call exactly once, never from the thread itself.
    func join() { pthread_join(thread, nil) }
}

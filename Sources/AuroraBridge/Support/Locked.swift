import Synchronization

/// A value shared between tasks and threads, guarded by a mutex.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    /// Shares `value`.
    public init(_ value: Value) { mutex = Mutex(value) }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result: Sendable>(_ body: (inout sending Value) throws -> sending Result) rethrows -> Result {
        try mutex.withLock(body)
    }

    /// A copy of the value.
    public var value: Value { mutex.withLock { $0 } }
}

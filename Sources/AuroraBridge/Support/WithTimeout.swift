/// The value of `operation`, or nil if `timeout` passes first; the one still running when the
/// other ends is cancelled.
func withTimeout<Value: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async -> Value?) async -> Value? {
    await withTaskGroup(of: Value?.self) { group in
        group.addTask(operation: operation)
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

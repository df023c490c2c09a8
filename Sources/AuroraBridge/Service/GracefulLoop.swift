import ServiceLifecycle

/// Runs `loop` until the service is asked to shut down gracefully, then cancels it; the
/// cancellation that ends the loop is the expected way out, not an error. Any other error
/// reaches the caller (and so the service group).
func runUntilGracefulShutdown(_ loop: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(loop)
    } catch is CancellationError {
        return
    }
}

import Synchronization
import UnixSignals

/// SIGHUP, trapped for as long as `aurora-bridge run` runs. Each one goes to the run of the
/// bridge that waits for it (``next()``); one that arrives while no run waits (the bridge is
/// restarting after a reload, or a reload is being read) is kept for the next wait, so it is
/// acted on rather than lost, and it never meets SIGHUP's default action (ending the process).
final class Hangups: Sendable {
    private struct State {
        /// A SIGHUP arrived while nobody waited.
        var pending = false
        /// The run waiting for the next SIGHUP.
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let signals: UnixSignalsSequence
    private let state = Mutex(State())

    /// Traps SIGHUP from now on; call ``forward()`` to pass the signals on.
    init() async {
        signals = await UnixSignalsSequence(trapping: .sighup)
    }

    /// Passes every SIGHUP on to ``next()`` until the calling task is cancelled.
    func forward() async {
        for await _ in signals {
            state.withLock { state in
                if let waiter = state.waiter {
                    state.waiter = nil
                    waiter.resume(returning: true)
                } else {
                    state.pending = true
                }
            }
        }
    }

    /// Waits for the next SIGHUP (one that arrived while nobody waited counts at once): true
    /// when it came, false when the calling task was cancelled first.
    func next() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter in
                state.withLock { state in
                    if state.pending {
                        state.pending = false
                        waiter.resume(returning: true)
                    } else if Task.isCancelled {
                        waiter.resume(returning: false)
                    } else {
                        state.waiter = waiter
                    }
                }
            }
        } onCancel: {
            state.withLock { state in
                state.waiter?.resume(returning: false)
                state.waiter = nil
            }
        }
    }
}

/// The poller's mailbox: commands and clock checks wait here until the poller is between
/// visits. Requests for an inverter known to be asleep or unreachable are answered at once.
public final class PollerRequests: Sendable {
    private struct State {
        var queue: [PollerRequest] = []
        var waiter: CheckedContinuation<PollerRequest?, Never>?
        var availability: [String: Availability] = [:]
        var closed = false
    }

    private let state = Locked(State())

    /// An empty mailbox.
    public init() {}

    /// Asks the poller for `kind` on `inverter` and waits for the result.
    public func submit(_ kind: PollerRequest.Kind, inverter: String) async -> CommandResult {
        await withCheckedContinuation { continuation in
            let request = PollerRequest(inverter: inverter, kind: kind) { continuation.resume(returning: $0) }
            let refusal: String? = state.withLock { state in
                if state.closed { return "the bridge is stopping" }
                if let availability = state.availability[inverter], availability != .online {
                    return "the inverter is \(availability.rawValue)"
                }
                if let waiter = state.waiter {
                    state.waiter = nil
                    waiter.resume(returning: request)
                } else {
                    state.queue.append(request)
                }
                return nil
            }
            if let refusal { request.answer(ok: false, refusal) }
        }
    }

    /// Notes what the poller last learnt of an inverter's availability.
    func note(_ availability: Availability, for inverter: String) {
        state.withLock { $0.availability[inverter] = availability }
    }

    /// The next request, or nil once the monotonic `due` time comes (or the task is cancelled).
    func next(untilMonotonic due: Double, clock: any WallClock) async -> PollerRequest? {
        if let queued = state.withLock({ $0.queue.isEmpty ? nil : $0.queue.removeFirst() }) { return queued }
        return await withTaskGroup(of: PollerRequest?.self) { group in
            group.addTask {
                try? await clock.sleep(untilMonotonic: due)
                return nil
            }
            group.addTask { await self.next() }
            var request = await group.next() ?? nil
            group.cancelAll()
            // Only the mailbox child returns requests; it may have got one while being cancelled.
            for await other in group {
                if let other { request = other }
            }
            return request
        }
    }

    /// Refuses every request waiting and every later one: the poller has stopped.
    func close() {
        let waiting = state.withLock { state in
            state.closed = true
            defer { state.queue = [] }
            return state.queue
        }
        for request in waiting { request.answer(ok: false, "the bridge is stopping") }
    }

    private func next() async -> PollerRequest? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PollerRequest?, Never>) in
                state.withLock { state in
                    if !state.queue.isEmpty {
                        continuation.resume(returning: state.queue.removeFirst())
                    } else if Task.isCancelled {
                        continuation.resume(returning: nil)
                    } else {
                        state.waiter = continuation
                    }
                }
            }
        } onCancel: {
            state.withLock { state in
                state.waiter?.resume(returning: nil)
                state.waiter = nil
            }
        }
    }
}

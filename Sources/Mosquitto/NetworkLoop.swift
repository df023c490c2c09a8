import CMosquitto
import Dispatch
import Foundation
import Synchronization

/// The client's network thread: runs `mosquitto_loop` and, whenever the connection is down for
/// whatever reason, waits as the ``ReconnectPolicy`` says and reconnects, until stopped.
///
/// libmosquitto's own thread (`mosquitto_loop_start`) ends for good after an MQTT 5 CONNACK
/// refusal (`MOSQ_ERR_PROTOCOL`), a server DISCONNECT (it leaves the state "disconnected"), a
/// TLS error or a failed name lookup; this loop treats every failure alike and reconnects with
/// `mosquitto_reconnect_async` on the same handle, so the will, credentials, TLS settings and
/// queued QoS 1/2 messages stay, and the ``EventHub`` renews subscriptions on each CONNACK.
/// It also records the facts of ``MosquittoHealth``.
final class NetworkLoop: Sendable {
    private struct State {
        var stopRequested = false
        var health = MosquittoHealth()
    }

    private let handle: MosquittoHandle
    private let policy: ReconnectPolicy
    private let endpoint: String
    private let state = Mutex(State())
    /// Signalled by ``requestStop()`` to cut a back-off wait short.
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled once when the thread has finished.
    private let finished = DispatchSemaphore(value: 0)
    private let clock = ContinuousClock()

    /// Longest single wait in `mosquitto_loop`; a publish or disconnect wakes it earlier.
    private static let loopTimeoutMilliseconds: Int32 = 1000
    /// How long a stop waits for the DISCONNECT to be written.
    private static let disconnectGrace = Duration.seconds(2)

    init(handle: MosquittoHandle, policy: ReconnectPolicy, endpoint: String) {
        self.handle = handle
        self.policy = policy
        self.endpoint = endpoint
    }

    var health: MosquittoHealth { state.withLock { $0.health } }

    /// Starts the thread; a connection attempt must already be under way (or have failed).
    func start() {
        let now = clock.now
        state.withLock { state in
            state.health = MosquittoHealth(loop: .running, lastLoopActivity: now, disconnectedSince: now)
        }
        // The thread holds the loop (and so the handle) until it ends.
        let thread = Thread { [self] in run() }
        thread.name = "mosquitto network"
        thread.start()
    }

    /// Asks the thread to end once the DISCONNECT (if any was queued) is written. Does not wait.
    func requestStop() {
        state.withLock { $0.stopRequested = true }
        wake.signal()
    }

    /// Blocks until the thread has ended; call once, and never on the Swift concurrency pool.
    func waitUntilFinished() {
        finished.wait()
    }

    private var isStopRequested: Bool { state.withLock { $0.stopRequested } }

    private func run() {
        let pointer = handle.pointer
        var failures = 0
        var connectedAt: ContinuousClock.Instant?
        while !isStopRequested {
            let result = mosquitto_loop(pointer, Self.loopTimeoutMilliseconds, 1)
            let failure = result == MOSQ_ERR_SUCCESS.rawValue
                ? nil : MosquittoError.fromResult(result, operation: "network loop")
            let now = clock.now
            let connected = handle.hub.isConnected
            if connected, connectedAt == nil { connectedAt = now }
            state.withLock { state in
                state.health.lastLoopActivity = now
                if connected {
                    state.health.disconnectedSince = nil
                    state.health.consecutiveFailures = 0
                    state.health.connectedSince = state.health.connectedSince ?? now
                } else {
                    state.health.connectedSince = nil
                }
            }
            guard let failure, !isStopRequested else { continue }

            if connected {
                // The loop failed without a disconnect callback (e.g. select failed): say so,
                // so isConnected and the consumers know.
                handle.hub.emit(.disconnected(.unexpected(failure)))
            }
            if let since = connectedAt, now - since >= policy.stablePeriod { failures = 0 }
            connectedAt = nil
            failures += 1
            state.withLock { state in
                state.health.disconnectedSince = state.health.disconnectedSince ?? now
                state.health.consecutiveFailures += 1
            }
            guard waitOutBackoff(policy.delay(afterFailures: failures)) else { break }
            let outcome = mosquitto_reconnect_async(pointer)
            if outcome != MOSQ_ERR_SUCCESS.rawValue {
                let error = MosquittoError.fromResult(outcome, operation: "connect to \(endpoint)")
                handle.hub.log(.info, "\(error.description) (retrying)")
            }
        }
        flushDisconnect(pointer)
        state.withLock { $0.health.loop = .ended }
        finished.signal()
    }

    /// Sleeps for `delay`, marking activity at least once a second; false if stopped meanwhile.
    private func waitOutBackoff(_ delay: Duration) -> Bool {
        let end = clock.now.advanced(by: delay)
        while true {
            let now = clock.now
            state.withLock { $0.health.lastLoopActivity = now }
            guard !isStopRequested else { return false }
            guard now < end else { return true }
            let slice = min(end - now, .seconds(1))
            let (seconds, attoseconds) = slice.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            _ = wake.wait(timeout: .now() + .nanoseconds(nanoseconds))
        }
    }

    /// Runs the loop until the queued DISCONNECT is written and the socket closed, or the grace ends.
    private func flushDisconnect(_ pointer: OpaquePointer) {
        let end = clock.now.advanced(by: Self.disconnectGrace)
        while clock.now < end, mosquitto_loop(pointer, 100, 1) == MOSQ_ERR_SUCCESS.rawValue {}
    }
}

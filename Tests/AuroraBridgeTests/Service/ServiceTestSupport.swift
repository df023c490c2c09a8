@testable import AuroraBridge
import AuroraTestSupport
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit

/// Runs `service` while `body` runs, then shuts it down gracefully, as its group would, and
/// returns once it stopped; rethrows what the service threw.
func withRunning(_ service: some Service, _ body: () async throws -> Void) async throws {
    try await testGracefulShutdown { trigger in
        let running = Task { try await service.run() }
        do {
            try await body()
        } catch {
            trigger.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        trigger.triggerGracefulShutdown()
        try await running.value
    }
}

/// What the unit tests of the services share: a configuration, an in-memory connection and a
/// publisher on it.
struct ServiceFixture {
    let configuration: BridgeConfiguration
    let output: InMemoryOutput
    let publisher: Publisher
    let counters = Locked(BridgeCounters())
    let logger = Logger(label: "aurora.test")

    /// The minimal configuration plus `extra` TOML.
    init(_ extra: String = "", output: InMemoryOutput = InMemoryOutput(connected: true)) throws {
        try self.init(configuration: parse(minimalConfig + extra), output: output)
    }

    /// A fixture for `configuration`.
    init(configuration: BridgeConfiguration, output: InMemoryOutput = InMemoryOutput(connected: true)) {
        self.configuration = configuration
        self.output = output
        publisher = Publisher(client: output, configuration: configuration)
    }

    /// A fixture for the configuration `text`.
    static func parsing(_ text: String) throws -> ServiceFixture {
        ServiceFixture(configuration: try parse(text))
    }

    /// Progress that never tells systemd anything, starting at `now`.
    func progress(now: Double = 0) -> BridgeProgress {
        BridgeProgress(now: now, notifier: SystemdNotifier(environment: [:]), readyStatus: "test")
    }

    /// The messages published on `topic`.
    func messages(on topic: String) -> [InMemoryOutput.Message] {
        output.messages.filter { $0.topic == topic }
    }

    /// An archive delivery on a new store in `folder`, sending through an outbox on the output.
    func archive(in folder: String, interval: Int64 = 60) async throws -> (ArchiveDelivery, ArchiveStore, ArchiveOutbox) {
        let store = try ArchiveStore(path: folder + "/archive.sqlite", busyTimeout: .seconds(5))
        let outbox = ArchiveOutbox(output: output, retryInterval: .seconds(3_600))
        await outbox.attach(store: store, publisher: publisher)
        let archive = ArchiveDelivery(
            archiver: Archiver(interval: try ArchiveInterval(seconds: interval)), store: store, outbox: outbox,
            inverters: ["inverter"])
        return (archive, store, outbox)
    }
}

/// A poller stand-in for the services that submit ``PollerRequest``s: answers each with what
/// `answer` returns for it, noting when (on `clock`'s monotonic time) it came.
final class RequestAnswerer: Sendable {
    let requests = PollerRequests()
    private let asked = Locked<[(kind: PollerRequest.Kind, inverter: String, at: Double)]>([])

    /// The requests answered so far.
    var answered: [(kind: PollerRequest.Kind, inverter: String, at: Double)] { asked.value }

    /// Answers requests until cancelled; `clock` tells when each came (the wait for them is on
    /// the host's clock, so that it does not move a stepping clock).
    func serve(clock: any WallClock, _ answer: @escaping @Sendable (PollerRequest, Int) -> CommandResult) async {
        let host = SystemWallClock()
        while !Task.isCancelled {
            guard let request = await requests.next(untilMonotonic: host.monotonicNow() + 3_600, clock: host) else { continue }
            let count = asked.withLock { asked in
                asked.append((request.kind, request.inverter, clock.monotonicNow()))
                return asked.count
            }
            request.reply(answer(request, count))
        }
    }
}

/// A ``SteppingClock`` that stands still at a horizon: a sleep past it waits (on the host's
/// clock) until the horizon moves past its end or the task is cancelled. A service's schedule
/// runs at full speed up to the horizon and no further, so its loop neither spins nor piles up
/// output while the test looks.
struct HorizonClock: WallClock {
    let base: SteppingClock
    private let horizon: Locked<Double>
    private let parked = Locked(0)

    /// A clock showing `start` that stands still at `horizon` (monotonic seconds).
    init(start: Double, horizon: Double) {
        base = SteppingClock(start: start)
        self.horizon = Locked(horizon)
    }

    /// Whether a sleep waits at the horizon: the schedule has run as far as it may.
    var isParked: Bool { parked.value > 0 }

    /// Moves the horizon to `time`.
    func extend(to time: Double) { horizon.withLock { $0 = time } }

    /// Steps the wall reading by `seconds`; see ``SteppingClock/step(by:)``.
    func step(by seconds: Double) { base.step(by: seconds) }

    func now() -> Double { base.now() }

    func sleep(until deadline: Double) async throws {
        try await sleep(untilMonotonic: deadline - (base.now() - base.monotonicNow()))
    }

    func monotonicNow() -> Double { base.monotonicNow() }

    func sleep(untilMonotonic deadline: Double) async throws {
        if deadline > horizon.value {
            parked.withLock { $0 += 1 }
            defer { parked.withLock { $0 -= 1 } }
            while deadline > horizon.value { try await Task.sleep(for: .milliseconds(20)) }
        }
        try await base.sleep(untilMonotonic: deadline)
    }
}

import AuroraLink
import AuroraProtocol
import Logging

/// Polls the inverters of one bus, each at its own interval, and reports packets, availability,
/// states and identities to a sink.
///
/// An answering inverter is polled at wall-clock multiples of its interval: a state request,
/// then a full read, which becomes a ``LoopPacket`` stamped with the wall clock. A reading (the
/// state included) that only got bad replies is left out and the poll goes on; a poll ends
/// early only when the inverter fell silent (``LinkError/noReply(_:tries:timeout:)``) or the
/// port is gone. Its readings go
/// through the inverter's ``CounterGuard``: non-finite measures and implausible counters are left
/// out (and reported in ``PollerEvent/leftOut(inverter:_:)``, logged once per episode), and
/// `energy` is derived from the guarded day counter. Once the inverter's identity is read (on
/// every wake), its guard is loaded from and then saved to the ``CounterStateStore`` under its
/// serial number, before each packet is reported.
///
/// Schedules run on the monotonic clock: the wait until the next wall-clock multiple is taken
/// when a poll starts, so a step of the wall clock either way never delays any inverter by
/// more than one interval. The inverter due first is visited first, and of two due at once the
/// one visited longer ago: when the bus cannot carry the configured intervals every inverter is
/// overdue, and they take turns in round-robin order by due time, so none starves (each is
/// then polled about as often as the bus allows, see ``BusCapacity``). One that stops
/// answering becomes ``Availability/asleep`` (it was not producing) or
/// ``Availability/unreachable`` (it was); nothing is published for it until it answers again.
/// It is probed with one single-try state request per back-off step, doubling from its poll
/// interval up to ``maxProbeInterval``, and resumes by itself.
public struct Poller: Sendable {
    /// The inverters on the bus.
    public var inverters: [PolledInverter]
    /// The longest wait between probes of a silent inverter, in seconds.
    public var maxProbeInterval: Double
    /// Where time comes from.
    public var clock: any WallClock
    /// Where events go.
    public var sink: any PollerSink
    /// Where log lines go.
    public var logger: Logger
    /// Where counter guards are kept between runs, or nil to keep them in memory only.
    public var counterStore: (any CounterStateStore)? {
        didSet { counterWriter = counterStore.map(CounterStateWriter.init(store:)) }
    }
    /// Writes to ``counterStore`` in the background.
    private var counterWriter: CounterStateWriter?
    /// The inverters' local calendar (for counter resets and `energy`).
    public var calendar: CounterCalendar
    /// How far a counter may move between readings.
    public var limits: CounterLimits
    /// Commands and clock checks to run between visits, or nil for none.
    public var requests: PollerRequests?

    /// A poller for `inverters`, reporting to `sink`.
    public init(
        inverters: [PolledInverter],
        maxProbeInterval: Double = 300,
        clock: any WallClock = SystemWallClock(),
        sink: any PollerSink,
        logger: Logger = Logger(label: "aurora.poller"),
        counterStore: (any CounterStateStore)? = nil,
        calendar: CounterCalendar = CounterCalendar(),
        limits: CounterLimits = CounterLimits()
    ) {
        self.counterStore = counterStore
        self.counterWriter = counterStore.map(CounterStateWriter.init(store:))
        self.calendar = calendar
        self.limits = limits
        self.inverters = inverters
        self.maxProbeInterval = maxProbeInterval
        self.clock = clock
        self.sink = sink
        self.logger = logger
    }

    /// Polls until the task is cancelled.
    public func run() async throws {
        var states = inverters.map { PollState(inverter: $0, due: clock.monotonicNow()) }
        defer { requests?.close() }
        guard !states.isEmpty else { return }
        var episodes = LeftOutEpisodes()
        var visits = 0
        while !Task.isCancelled {
            let index = states.indices.min { (states[$0].due, states[$0].lastVisit) < (states[$1].due, states[$1].lastVisit) }!
            if let requests {
                if let request = await requests.next(untilMonotonic: states[index].due, clock: clock) {
                    await handle(request, states: &states, episodes: &episodes)
                    continue
                }
            } else {
                try await clock.sleep(untilMonotonic: states[index].due)
            }
            try Task.checkCancellation()
            visits += 1
            states[index].lastVisit = visits
            await visit(&states[index], episodes: &episodes)
        }
    }

    /// Per-inverter memory between polls.
    struct PollState {
        let inverter: PolledInverter
        /// When to poll or probe next, on the monotonic clock.
        var due: Double
        /// The number of the last visit (0: none yet); of two inverters due at once, the one
        /// visited longer ago goes first.
        var lastVisit = 0
        var availability: Availability?
        var status: InverterStatus?
        var wasRunning = false
        var probeInterval: Double = 0
        var counters = CounterGuard()
        /// The serial number the counters are stored under, once the identity was read.
        var serialNumber: String?
        /// Whether the last attempt to store the counters failed (logged once per episode).
        var storeFailing = false
    }

    /// Polls the inverter once; returns whether the poll succeeded.
    @discardableResult
    func visit(_ state: inout PollState, episodes: inout LeftOutEpisodes) async -> Bool {
        let name = state.inverter.name
        let client = state.inverter.client
        let started = clock.now()
        let startedMonotonic = clock.monotonicNow()
        do throws(LinkError) {
            let status = try await readStatus(of: client, probing: state.availability != nil && state.availability != .online, name: name)
            if state.availability != .online {
                await wake(&state, name: name, client: client)
            }
            if let status, status != state.status {
                state.status = status
                await sink.handle(.status(inverter: name, status))
            }
            let snapshot = try await client.readAll()
            if let global = snapshot.globalState ?? status?.global { state.wasRunning = global.isRunning }
            let screened = state.counters.fields(from: snapshot, calendar: calendar, limits: limits)
            await storeCounters(&state)
            await sink.handle(.packet(LoopPacket(inverter: name, dateTime: Int64(started.rounded(.down)), fields: screened.fields)))
            if !screened.leftOut.isEmpty { await sink.handle(.leftOut(inverter: name, screened.leftOut)) }
            // One short transaction after the packet went out: alarms that came and went
            // between two polls are in the list (see EventRecorder).
            if let history = try? await client.lastAlarms() {
                await sink.handle(.lastAlarms(inverter: name, serialNumber: state.serialNumber, history.alarms.map(\.code)))
            }
            log(episodes.note(inverter: name, leftOut: screened.leftOut, fields: screened.fields.map(\.name)))
            for failure in snapshot.failures {
                logger.warning("reading left out of this poll", metadata: ["inverter": "\(name)", "error": "\(failure.error)"])
            }
            let finished = clock.monotonicNow()
            await sink.handle(.pollFinished(inverter: name, succeeded: true, duration: finished - startedMonotonic))
            let interval = state.inverter.pollInterval
            let untilMultiple = (started / interval).rounded(.down) * interval + interval - started
            state.due = startedMonotonic + untilMultiple
            return true
        } catch {
            await fallSilent(&state, name: name, error: error)
            let finished = clock.monotonicNow()
            await sink.handle(.pollFinished(inverter: name, succeeded: false, duration: finished - startedMonotonic))
            state.due = finished + state.probeInterval
            return false
        }
    }

    /// The state request of a visit (a single-try probe for an inverter that is not online),
    /// or nil when only bad replies came: the inverter answered, the line is noisy, and the poll
    /// goes on. Throws when the inverter is silent or the port is gone.
    private func readStatus(of client: any InverterClient, probing: Bool, name: String) async throws(LinkError) -> InverterStatus? {
        do {
            return try await probing ? client.probe() : client.status()
        } catch {
            switch error {
            case .badReply, .refused:
                logger.warning("state left out of this poll", metadata: ["inverter": "\(name)", "error": "\(error)"])
                return nil
            case .noReply, .deviceUnavailable, .cannotOpen, .portInUse, .invalidPort, .unsupportedBaudRate:
                throw error
            }
        }
    }

    private func wake(_ state: inout PollState, name: String, client: any InverterClient) async {
        logger.info("inverter is online", metadata: ["inverter": "\(name)", "address": "\(client.address)"])
        state.availability = .online
        state.probeInterval = 0
        requests?.note(.online, for: name)
        await sink.handle(.availability(inverter: name, .online))
        do {
            let identity = try await client.identity()
            await sink.handle(.identity(inverter: name, identity))
            await loadCounters(&state, serialNumber: identity.serialNumber)
        } catch {
            logger.warning("could not read the inverter's identity", metadata: ["inverter": "\(name)", "error": "\(error)"])
        }
    }

    /// Switches the counters to those of `serialNumber`: a replaced inverter starts fresh, and
    /// the stored guard of this serial number is taken over (see ``CounterGuard/adopt(_:)``).
    private func loadCounters(_ state: inout PollState, serialNumber: String) async {
        guard serialNumber != state.serialNumber else { return }
        if state.serialNumber != nil {
            logger.notice("another inverter answers at this address; its counters start fresh", metadata: [
                "inverter": "\(state.inverter.name)", "serial": "\(serialNumber)",
            ])
            state.counters = CounterGuard()
        }
        state.serialNumber = serialNumber
        guard let counterStore else { return }
        do {
            if let stored = try await counterStore.counterGuard(serialNumber: serialNumber) { state.counters.adopt(stored) }
        } catch {
            // Stopping (a reload, a shutdown) cancels the read: nothing to report, the next run reads them again.
            guard !Task.isCancelled else { return }
            logger.error("could not read the stored energy counters; guarding from memory only", metadata: [
                "inverter": "\(state.inverter.name)", "error": "\(error)",
            ])
        }
    }

    /// Stores the counters under the serial number, if known, before their packet goes out: a
    /// crash after the packet is published never replays its `energy`. The poll waits for the
    /// write at most ``counterWritePatience``: a locked or failing database never holds up live
    /// data (the write goes on in the background, see ``CounterStateWriter``).
    private func storeCounters(_ state: inout PollState) async {
        guard let counterWriter, let serialNumber = state.serialNumber else { return }
        let outcome = await counterWriter.save(state.counters, serialNumber: serialNumber, patience: Self.counterWritePatience)
        switch outcome {
        case .stored?:
            if state.storeFailing {
                logger.notice("storing the energy counters works again", metadata: ["inverter": "\(state.inverter.name)"])
            }
            state.storeFailing = false
        case .failed(let error)?:
            if !state.storeFailing {
                logger.error("could not store the energy counters; a restart may lose their baseline", metadata: [
                    "inverter": "\(state.inverter.name)", "error": "\(error)",
                ])
            }
            state.storeFailing = true
        case nil:
            if !state.storeFailing {
                logger.warning("the database is slow to store the energy counters; polling goes on, the write catches up", metadata: [
                    "inverter": "\(state.inverter.name)",
                ])
            }
            state.storeFailing = true
        }
    }

    /// How long a poll waits for its counters to be stored before it publishes anyway.
    static let counterWritePatience = Duration.seconds(1)

    private func log(_ changes: [LeftOutEpisodes.Change]) {
        for change in changes {
            switch change {
            case .began(let key, let value):
                logger.warning("reading left out until it is plausible again", metadata: [
                    "inverter": "\(key.inverter)", "field": "\(key.field)", "value": "\(value)", "reason": "\(key.reason)",
                ])
            case .ended(let key):
                logger.notice("reading plausible again", metadata: [
                    "inverter": "\(key.inverter)", "field": "\(key.field)", "reason": "\(key.reason)",
                ])
            }
        }
    }

    private func fallSilent(_ state: inout PollState, name: String, error: LinkError) async {
        let interval = state.inverter.pollInterval
        state.probeInterval = min(max(state.probeInterval * 2, interval), max(maxProbeInterval, interval))
        let availability: Availability = state.wasRunning ? .unreachable : .asleep
        guard state.availability != availability else { return }
        if availability == .unreachable {
            logger.warning("inverter stopped answering while producing", metadata: ["inverter": "\(name)", "error": "\(error)"])
        } else {
            logger.info("inverter is asleep", metadata: ["inverter": "\(name)", "error": "\(error)"])
        }
        state.availability = availability
        state.status = nil
        requests?.note(availability, for: name)
        await sink.handle(.availability(inverter: name, availability))
    }
}

import AuroraLink
import AuroraProtocol
import Logging

/// Polls the inverters of one bus, each at its own interval, and reports packets, availability,
/// states and identities to a sink.
///
/// An answering inverter is polled at wall-clock multiples of its interval: a state request,
/// then a full read, which becomes a ``LoopPacket`` with the derived `energy`. One that stops
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

    /// A poller for `inverters`, reporting to `sink`.
    public init(
        inverters: [PolledInverter],
        maxProbeInterval: Double = 300,
        clock: any WallClock = SystemWallClock(),
        sink: any PollerSink,
        logger: Logger = Logger(label: "aurora.poller")
    ) {
        self.inverters = inverters
        self.maxProbeInterval = maxProbeInterval
        self.clock = clock
        self.sink = sink
        self.logger = logger
    }

    /// Polls until the task is cancelled.
    public func run() async throws {
        var states = inverters.map { PollState(inverter: $0, due: clock.now()) }
        guard !states.isEmpty else { return }
        while !Task.isCancelled {
            let index = states.indices.min { states[$0].due < states[$1].due }!
            try await clock.sleep(until: states[index].due)
            try Task.checkCancellation()
            await visit(&states[index])
        }
    }

    /// Per-inverter memory between polls.
    struct PollState {
        let inverter: PolledInverter
        var due: Double
        var availability: Availability?
        var status: InverterStatus?
        var wasRunning = false
        var probeInterval: Double = 0
        var energy = EnergyDeriver()
    }

    private func visit(_ state: inout PollState) async {
        let name = state.inverter.name
        let client = state.inverter.client
        let started = clock.now()
        do throws(LinkError) {
            let status: InverterStatus
            if state.availability == nil || state.availability == .online {
                status = try await client.status()
            } else {
                status = try await client.probe()
            }
            if state.availability != .online {
                await wake(&state, name: name, client: client)
            }
            if status != state.status {
                state.status = status
                await sink.handle(.status(inverter: name, status))
            }
            let snapshot = try await client.readAll()
            state.wasRunning = (snapshot.globalState ?? status.global).isRunning
            await sink.handle(.packet(packet(from: snapshot, at: started, state: &state)))
            for failure in snapshot.failures {
                logger.warning("reading left out of this poll", metadata: ["inverter": "\(name)", "error": "\(failure.error)"])
            }
            await sink.handle(.pollFinished(inverter: name, succeeded: true, duration: clock.now() - started))
            let interval = state.inverter.pollInterval
            state.due = max((started / interval).rounded(.down) * interval + interval, started)
        } catch {
            await fallSilent(&state, name: name, error: error)
            await sink.handle(.pollFinished(inverter: name, succeeded: false, duration: clock.now() - started))
            state.due = clock.now() + state.probeInterval
        }
    }

    private func wake(_ state: inout PollState, name: String, client: any InverterClient) async {
        logger.info("inverter is online", metadata: ["inverter": "\(name)", "address": "\(client.address)"])
        state.availability = .online
        state.probeInterval = 0
        await sink.handle(.availability(inverter: name, .online))
        do {
            await sink.handle(.identity(inverter: name, try await client.identity()))
        } catch {
            logger.warning("could not read the inverter's identity", metadata: ["inverter": "\(name)", "error": "\(error)"])
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
        await sink.handle(.availability(inverter: name, availability))
    }

    private func packet(from snapshot: InverterSnapshot, at time: Double, state: inout PollState) -> LoopPacket {
        var fields = snapshot.namedValues.map { LoopField(name: $0.name, value: $0.value) }
        if let energy = state.energy.energy(dayEnergy: snapshot.energy[.day].map(Int64.init)) {
            fields.append(LoopField(name: "energy", value: .integer(energy)))
        }
        return LoopPacket(inverter: state.inverter.name, dateTime: Int64(time.rounded(.down)), fields: fields)
    }
}

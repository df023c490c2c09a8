import AuroraProtocol
import Synchronization

/// A simulated RS485 bus: the inverters on it, their clocks, the fault injector and a log of
/// what was served. Servers (``PseudoTerminalServer``, ``TCPServer``) feed it request frames;
/// tests can also call ``respond(to:)`` directly, without any I/O.
///
/// Only configured addresses answer; an inverter asleep at night stays silent. Thread-safe: any
/// number of servers and tests may use one simulator at once.
public final class Simulator: Sendable {
    /// How many replies ``servedLog`` keeps (the oldest are forgotten first).
    public static let logCapacity = 4096

    /// The source of simulated time.
    public let clock: any SimulationClock

    private struct State {
        var models: [UInt8: InverterModel]
        var clockOffsets: [UInt8: Double] = [:]
        /// When each inverter that clears its last alarms on read last answered command 86.
        var lastAlarmsReads: [UInt8: Double] = [:]
        var faults: FaultSettings
        var generator: SeededGenerator
        var log: [ServedReply] = []
        var lastIntact: [Request: ServedReply] = [:]
        var replay: ReplayPlayer?
        var replayNote: (@Sendable (String) -> Void)?
    }

    private let state: Mutex<State>
    private let replyObserver = Mutex<(@Sendable (_ requestFrame: [UInt8]) -> Void)?>(nil)

    /// A bus with `inverters` (distinct addresses 1–63), reading time from `clock`.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` if a model or a fault setting is invalid or
    ///   two inverters share an address.
    public init(inverters: [InverterModel], clock: any SimulationClock, faults: FaultSettings = .none) throws(SimulatorError) {
        guard !inverters.isEmpty else { throw .invalidSetting("the bus needs at least one inverter address") }
        var models: [UInt8: InverterModel] = [:]
        for model in inverters {
            try model.validate()
            guard models.updateValue(model, forKey: model.address) == nil else {
                throw .invalidSetting("address \(model.address) is configured twice; give every inverter its own address")
            }
        }
        try faults.validate()
        self.clock = clock
        state = Mutex(State(models: models, faults: faults, generator: SeededGenerator(seed: faults.seed)))
    }

    /// The configured bus addresses, ascending.
    public var addresses: [UInt8] { state.withLock { $0.models.keys.sorted() } }

    /// The model answering at `address`, if any.
    public func model(address: UInt8) -> InverterModel? { state.withLock { $0.models[address] } }

    /// Changes the model at `address` while the simulator runs (e.g. mark a measure unsupported).
    /// The address itself cannot change.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` if no inverter has that address or the
    ///   changed model is invalid; the old model then stays.
    public func updateModel(address: UInt8, _ change: (inout InverterModel) -> Void) throws(SimulatorError) {
        guard var model = self.model(address: address) else {
            throw .invalidSetting("no simulated inverter has address \(address)")
        }
        change(&model)
        guard model.address == address else { throw .invalidSetting("the address of a running model cannot change") }
        try model.validate()
        state.withLock { $0.models[address] = model }
    }

    /// The fault settings in force.
    public var faults: FaultSettings { state.withLock { $0.faults } }

    /// Replaces the fault settings and restarts the fault generator from their seed.
    /// - Throws: ``SimulatorError/invalidSetting(_:)`` if a rate, a delay, the jitter or the baud rate is out of range.
    public func setFaults(_ faults: FaultSettings) throws(SimulatorError) {
        try faults.validate()
        state.withLock {
            $0.faults = faults
            $0.generator = SeededGenerator(seed: faults.seed)
        }
    }

    /// The offset of the inverter clock at `address` from simulated time, in seconds (changed by
    /// command 71).
    public func clockOffset(address: UInt8) -> Double { state.withLock { $0.clockOffsets[address] ?? 0 } }

    /// Handles one 10-byte request frame as the bus would: the bytes to write back (after faults)
    /// and when, or nil when nothing is written (bad frame, unknown address, asleep, or dropped).
    ///
    /// A valid set-time request (71) sets that inverter's clock even if its reply is then dropped;
    /// likewise a read of command 86 empties the last alarms of a model that
    /// ``InverterModel/clearsLastAlarmsOnRead``.
    public func respond(to frame: [UInt8]) -> Transmission? {
        guard frame.count == Request.length, CRC16.isValid(frame: frame) else { return nil }
        if let replayed = replayed(frame) { return replayed }
        let now = clock.now
        return state.withLock { state -> Transmission? in
            guard let model = state.models[frame[0]] else { return nil }
            let offset = state.clockOffsets[model.address] ?? 0
            let request = try? Request(frame: frame)
            let response: Response?
            if let request {
                response = model.reply(
                    to: request, at: now, clockOffset: offset, lastAlarmsReadAt: state.lastAlarmsReads[model.address])
                if response != nil, request.command == .setTime {
                    let seconds = request.parameters[0..<4].reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
                    state.clockOffsets[model.address] = model.clockOffset(settingTo: seconds, at: now)
                }
                if response != nil, request.command == .lastAlarms, model.clearsLastAlarmsOnRead {
                    state.lastAlarmsReads[model.address] = now
                }
            } else {
                response = model.replyToUnknownCommand(address: frame[0], at: now)
            }
            guard let response = Self.glitched(response, to: request, faults: state.faults, using: &state.generator) else {
                return nil
            }
            let (bytes, fault) = Self.inject(into: response.bytes, faults: state.faults, using: &state.generator)
            if let request { Self.record(ServedReply(request: request, response: response, time: now, fault: fault), in: &state) }
            guard let bytes else { return nil }
            let late: Duration = if case .late(let by) = fault { by } else { .zero }
            return Transmission(bytes: bytes, delay: state.faults.replyDelay(drawingJitterFrom: &state.generator) + late)
        }
    }

    /// From now on, answers every request as recorded in `script` instead of from the models
    /// (see `ReplayPlayer`); `note` hears of each request that diverges from the script.
    public func startReplay(_ script: CaptureScript, note: @escaping @Sendable (String) -> Void = { _ in }) {
        state.withLock {
            $0.replay = ReplayPlayer(script)
            $0.replayNote = note
        }
    }

    /// How many requests diverged from the replayed script so far.
    public var replayDivergences: Int { state.withLock { $0.replay?.divergences ?? 0 } }

    /// The replayed answer to `frame` (`.some(nil)`: silence), or nil when not replaying.
    private func replayed(_ frame: [UInt8]) -> Transmission?? {
        let (answer, note, report) = state.withLock { state -> (Transmission??, String?, (@Sendable (String) -> Void)?) in
            guard var player = state.replay else { return (nil, nil, nil) }
            let (transmission, note) = player.answer(to: frame)
            state.replay = player
            return (.some(transmission), note, state.replayNote)
        }
        if let note { report?(note) }
        return answer
    }

    /// The reply the model at `request.address` gives now, without faults, logging or clock
    /// changes: what a test expects to be served at a frozen time.
    public func expectedReply(to request: Request) -> Response? {
        let now = clock.now
        return state.withLock { state in
            state.models[request.address]?.reply(
                to: request, at: now, clockOffset: state.clockOffsets[request.address] ?? 0,
                lastAlarmsReadAt: state.lastAlarmsReads[request.address])
        }
    }

    /// Everything the inverter at `address` reports now, or nil if there is none or it is asleep.
    public func snapshot(address: UInt8) -> ModelSnapshot? {
        let now = clock.now
        return state.withLock { state in
            state.models[address]?.snapshot(
                at: now, clockOffset: state.clockOffsets[address] ?? 0, lastAlarmsReadAt: state.lastAlarmsReads[address])
        }
    }

    /// The most recent reply to exactly `request` that reached the wire intact (no fault, or only
    /// stray bytes before it): the value a client can have received.
    public func lastServed(_ request: Request) -> ServedReply? {
        state.withLock { $0.lastIntact[request] }
    }

    /// The most recent replies, oldest first (at most ``logCapacity``), including faulty ones.
    public var servedLog: [ServedReply] {
        state.withLock { Array($0.log.suffix(Self.logCapacity)) }
    }

    /// Watches replies go on the wire: `observer` runs on the serving thread right before a
    /// server (``PseudoTerminalServer``, ``TCPServer``) writes the bytes answering a request,
    /// after the reply delay, with that request's 10-byte frame. Meant for benchmarks that
    /// timestamp replies (``servedLog`` holds simulated time, taken before the delay): a stamp
    /// taken here is never later than the client's first chance to read the reply. `nil` (the
    /// default) removes the observer. It must return quickly: every other reply waits for it.
    public func observeWrittenReplies(_ observer: (@Sendable (_ requestFrame: [UInt8]) -> Void)?) {
        replyObserver.withLock { $0 = observer }
    }

    /// Called by the servers just before they write the answer to `requestFrame`.
    func replyWriting(to requestFrame: [UInt8]) {
        if let observer = replyObserver.withLock({ $0 }) { observer(requestFrame) }
    }

    private static func record(_ served: ServedReply, in state: inout State) {
        state.log.append(served)
        if state.log.count >= 2 * logCapacity { state.log.removeFirst(state.log.count - logCapacity) }
        if served.arrivedIntact { state.lastIntact[served.request] = served }
    }

    /// Applies the fault settings to one reply: the bytes to write (nil if dropped) and the fault.
    private static func inject(
        into reply: [UInt8], faults: FaultSettings, using generator: inout SeededGenerator
    ) -> ([UInt8]?, InjectedFault?) {
        if generator.unit() < faults.dropRate { return (nil, .dropped) }
        if generator.unit() < faults.crcErrorRate {
            var corrupted = reply
            corrupted[corrupted.count - 1] ^= 0xFF
            return (corrupted, .corruptedCRC)
        }
        guard generator.unit() < faults.garbageRate else {
            // Drawn only when asked for, so older seeds keep giving the same faults.
            if faults.lateRate > 0, generator.unit() < faults.lateRate { return (reply, .late(by: faults.lateDelay)) }
            return (reply, nil)
        }
        if generator.unit() < 0.5 {
            let count = 1 + Int(generator.next() % 3)
            let garbage = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            return (garbage + reply, .garbageBefore(count: count))
        }
        let count = 1 + Int(generator.next() % UInt64(reply.count - 1))
        return (Array(reply.prefix(count)), .truncated(count: count))
    }
}

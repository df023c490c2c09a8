import AuroraSimulator
import Foundation

/// A simulated inverter bus for tests: a ``Simulator`` with a ``ManualClock``, served on a
/// pseudo-terminal at a fresh temporary link path (or on a loopback TCP port), standing in for a
/// real inverter behind a USB RS485 adapter (or a serial-to-Ethernet converter).
///
/// Time stands still until the test moves ``clock``; ``simulator`` tells what is served
/// (``Simulator/snapshot(address:)``, ``Simulator/lastServed(_:)``). Energy counters start at the
/// models' base values at `start`.
///
/// ```swift
/// try await SimulatedBus.withPseudoTerminal { bus in
///     let link = try Link(path: bus.linkPath!)            // the code under test
///     let power = try await link.measure(.gridPower, address: 2)
///     #expect(power == bus.simulator.snapshot(address: 2)?.measures[.gridPower])
///     bus.clock.advance(by: 3600)                         // an hour later
///     bus.disconnect()                                    // the adapter is unplugged …
///     try bus.reconnect()                                 // … and plugged back in
/// }
/// ```
///
/// - Important: Call ``stop()`` (or use the `with…` helpers, which always do): it joins the
///   serving thread, closes the descriptors and removes the link and its directory.
public final class SimulatedBus: Sendable {
    /// 2026-06-21 13:00:00 UTC (a Sunday): solar noon of the default 06:00–20:00 day in UTC,
    /// the inverters running at exactly their nominal power.
    public static let defaultStart: Double = 1_782_046_800

    /// The simulated time: frozen until the test moves it.
    public let clock: ManualClock
    /// The simulated inverters, their fault injector and the log of served replies.
    public let simulator: Simulator
    /// The path clients open as the serial port, or nil for a TCP bus.
    public let linkPath: String?
    /// The loopback port clients connect to, or nil for a pseudo-terminal bus.
    public let port: UInt16?

    private enum Server: Sendable {
        case pseudoTerminal(PseudoTerminalServer, directory: URL)
        case tcp(TCPServer)
    }

    private let server: Server

    /// A bus served on a pseudo-terminal linked at a fresh temporary path.
    /// - Parameters:
    ///   - addresses: the inverters' bus addresses (default: one inverter at 2).
    ///   - start: the simulated start time, Unix seconds (default: ``defaultStart``).
    ///   - timeZone: the inverters' local zone (default UTC).
    ///   - faults: faults to inject from the start (default: none).
    ///   - configure: changes each default ``InverterModel`` (e.g. `$0.alwaysAwake = true`).
    /// - Throws: ``SimulatorError`` if the models are invalid or the pseudo-terminal cannot be set up.
    public static func pseudoTerminal(
        addresses: [UInt8] = [2], start: Double = defaultStart, timeZone: TimeZone = .gmt,
        faults: FaultSettings = .none, configure: (inout InverterModel) -> Void = { _ in }
    ) throws -> SimulatedBus {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("aurora-sim-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let clock = ManualClock(start)
            let simulator = try makeSimulator(addresses, start, timeZone, faults, clock, configure)
            let linkPath = directory.appendingPathComponent("ttyAurora").path
            let server = try PseudoTerminalServer(simulator: simulator, linkPath: linkPath)
            return SimulatedBus(clock, simulator, linkPath: linkPath, port: nil, .pseudoTerminal(server, directory: directory))
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// A bus served over TCP on 127.0.0.1 at a free port; parameters as for ``pseudoTerminal(addresses:start:timeZone:faults:configure:)``.
    /// - Throws: ``SimulatorError`` if the models are invalid or the socket cannot be set up.
    public static func tcp(
        addresses: [UInt8] = [2], start: Double = defaultStart, timeZone: TimeZone = .gmt,
        faults: FaultSettings = .none, configure: (inout InverterModel) -> Void = { _ in }
    ) throws -> SimulatedBus {
        let clock = ManualClock(start)
        let simulator = try makeSimulator(addresses, start, timeZone, faults, clock, configure)
        let server = try TCPServer(simulator: simulator, host: "127.0.0.1", port: 0)
        return SimulatedBus(clock, simulator, linkPath: nil, port: server.port, .tcp(server))
    }

    /// Runs `body` with a pseudo-terminal bus and stops the bus afterwards, whatever happens.
    public static func withPseudoTerminal<T>(
        addresses: [UInt8] = [2], start: Double = defaultStart, timeZone: TimeZone = .gmt,
        faults: FaultSettings = .none, configure: (inout InverterModel) -> Void = { _ in },
        _ body: (SimulatedBus) async throws -> T
    ) async throws -> T {
        let bus = try pseudoTerminal(addresses: addresses, start: start, timeZone: timeZone, faults: faults, configure: configure)
        defer { bus.stop() }
        return try await body(bus)
    }

    /// Runs `body` with a TCP bus and stops the bus afterwards, whatever happens.
    public static func withTCP<T>(
        addresses: [UInt8] = [2], start: Double = defaultStart, timeZone: TimeZone = .gmt,
        faults: FaultSettings = .none, configure: (inout InverterModel) -> Void = { _ in },
        _ body: (SimulatedBus) async throws -> T
    ) async throws -> T {
        let bus = try tcp(addresses: addresses, start: start, timeZone: timeZone, faults: faults, configure: configure)
        defer { bus.stop() }
        return try await body(bus)
    }

    private init(_ clock: ManualClock, _ simulator: Simulator, linkPath: String?, port: UInt16?, _ server: Server) {
        self.clock = clock
        self.simulator = simulator
        self.linkPath = linkPath
        self.port = port
        self.server = server
    }

    private static func makeSimulator(
        _ addresses: [UInt8], _ start: Double, _ timeZone: TimeZone, _ faults: FaultSettings, _ clock: ManualClock,
        _ configure: (inout InverterModel) -> Void
    ) throws -> Simulator {
        let models = addresses.map { address in
            var model = InverterModel(address: address, timeZone: timeZone, energyOrigin: start)
            configure(&model)
            return model
        }
        return try Simulator(inverters: models, clock: clock, faults: faults)
    }

    /// Everything the inverter at `address` reports now, or nil if it is asleep or absent.
    public func snapshot(address: UInt8 = 2) -> ModelSnapshot? { simulator.snapshot(address: address) }

    /// Replaces the fault settings (restarting the fault generator from their seed).
    /// - Throws: ``SimulatorError`` if a setting is out of range.
    public func setFaults(_ faults: FaultSettings) throws { try simulator.setFaults(faults) }

    /// Simulates unplugging the adapter: the pseudo-terminal closes (clients see hang-up/EIO) and
    /// the link disappears. Pseudo-terminal buses only.
    public func disconnect() {
        guard case .pseudoTerminal(let server, _) = server else {
            preconditionFailure("disconnect() simulates a USB adapter: use a pseudo-terminal bus")
        }
        server.disconnect()
    }

    /// Simulates plugging the adapter back in: a new pseudo-terminal at the same link path.
    /// Pseudo-terminal buses only.
    /// - Throws: ``SimulatorError`` if the pseudo-terminal cannot be set up, or after ``stop()``.
    public func reconnect() throws {
        guard case .pseudoTerminal(let server, _) = server else {
            preconditionFailure("reconnect() simulates a USB adapter: use a pseudo-terminal bus")
        }
        try server.reconnect()
    }

    /// Stops serving and cleans up: thread, descriptors, link and temporary directory. Safe to
    /// call more than once.
    public func stop() {
        switch server {
        case .pseudoTerminal(let server, let directory):
            server.stop()
            try? FileManager.default.removeItem(at: directory)
        case .tcp(let server):
            server.stop()
        }
    }
}

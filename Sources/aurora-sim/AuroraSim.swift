import ArgumentParser
import AuroraSimulator
import Foundation

/// `aurora-sim`: one or more simulated Aurora inverters on a pseudo-terminal or a TCP port.
@main
struct AuroraSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aurora-sim",
        abstract: "Simulate Power One/ABB Aurora PV inverters on a pseudo-terminal or a TCP port.",
        discussion: """
            With --link, creates a pseudo-terminal, links its slave side at PATH and prints the \
            slave's path; point a client at PATH as if it were a USB RS485 adapter. With --tcp, \
            listens on HOST:PORT and prints the bound address. Serves until SIGINT or SIGTERM, \
            then removes the link and exits 0.

            The inverters follow a PV day (06:00–20:00 local): silent at night, wake-up states \
            1, 2, 3 at dawn, Run (6) by day with a sin² power curve peaking at the nominal power, \
            Waiting sun (30) at dusk.

            With --alarm, every inverter raises that alarm at that simulated time: its state \
            reply (command 50) shows the alarm with a fitting global and inverter state (grid \
            alarms: 2 Checking grid, 46 Grid fail), it feeds in nothing, and command 86's last \
            four alarms shift it in.
            """
    )

    @Option(name: .customLong("link"), help: ArgumentHelp("Serve on a pseudo-terminal linked at this path.", valueName: "path"))
    var linkPath: String?

    @Option(help: ArgumentHelp("Serve over TCP on this address, e.g. 127.0.0.1:4000 (port 0: any free port).", valueName: "host:port"))
    var tcp: String?

    @Option(name: .customLong("address"), help: ArgumentHelp("A bus address (1–63) with an inverter; repeat for several (default: 2).", valueName: "n"))
    var addresses: [UInt8] = []

    @Option(help: "Simulated seconds per real second.")
    var timeScale: Double = 1

    @Option(help: ArgumentHelp(
        "Simulated start: Unix seconds, or ISO 8601 local time like 2026-06-21T05:30:00 (or with Z / +02:00). Default: now.",
        valueName: "time"))
    var start: String?

    @Flag(help: "Answer at night too (Wait sun, zero power) instead of staying silent.")
    var alwaysAwake = false

    @Option(help: ArgumentHelp("Delay each reply by the wire time of request and reply at this baud rate.", valueName: "baud"))
    var baud: Int?

    @Option(help: ArgumentHelp("Share of replies sent with a wrong CRC, 0–1.", valueName: "rate"))
    var crcErrorRate: Double = 0

    @Option(help: ArgumentHelp("Share of replies not sent at all, 0–1.", valueName: "rate"))
    var dropRate: Double = 0

    @Option(help: ArgumentHelp("Share of replies preceded by stray bytes or cut short, 0–1.", valueName: "rate"))
    var garbageRate: Double = 0

    @Option(help: ArgumentHelp("Share of energy counter replies that read 0 (with a valid CRC), 0–1.", valueName: "rate"))
    var glitchRate: Double = 0

    @Option(help: ArgumentHelp("A measure type (command 59) that answers NaN (with a valid CRC), e.g. 3 for grid power.", valueName: "n"))
    var nanMeasure: UInt8?

    @Option(help: ArgumentHelp(
        "Extra delay before each reply, in milliseconds: the same as --latency-ms MS (give one of the two).",
        valueName: "ms"))
    var delayMs: Int?

    @Option(
        help: ArgumentHelp(
            "Reply latency in milliseconds, MEAN or MEAN:JITTER: each reply waits MEAN ± up to JITTER "
                + "(uniformly, seeded, never below 0), e.g. 300:100 for a slow RS485-to-Ethernet gateway. "
                + "The newer spelling of --delay-ms (give one of the two); --baud's wire time and --late-ms come on top.",
            valueName: "mean[:jitter]"),
        transform: ReplyLatency.init(milliseconds:))
    var latencyMs: ReplyLatency?

    @Option(help: ArgumentHelp("Share of replies sent --late-ms late (later requests are answered after them, in order), 0–1.", valueName: "rate"))
    var lateRate: Double = 0

    @Option(help: ArgumentHelp("How late a late reply is, in milliseconds.", valueName: "ms"))
    var lateMs: Int = 0

    @Option(help: "Seed of the fault generator: the same seed gives the same faults.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Power at solar noon, in W.", valueName: "watts"))
    var nominalPower: Double = 3600

    @Option(help: ArgumentHelp("The inverters' time zone, e.g. Europe/Rome (default: the host's).", valueName: "id"))
    var timeZone: String?

    @Option(help: ArgumentHelp("Answer every request as recorded in this capture (aurora-bridge --capture) instead of simulating.", valueName: "file"))
    var replay: String?

    @Option(
        name: .customLong("alarm"),
        help: ArgumentHelp(
            "Raise alarm CODE (1–255, e.g. 13 Grid fail) SECONDS simulated seconds after --start and clear it "
                + "DURATION seconds later (without DURATION: never), on every inverter; repeat for several, "
                + "e.g. --alarm 13@120:30.",
            valueName: "code@seconds[:duration]"),
        transform: AlarmOption.init)
    var alarms: [AlarmOption] = []

    func validate() throws {
        guard (linkPath == nil) != (tcp == nil) else {
            throw ValidationError("Give exactly one of --link PATH (pseudo-terminal) or --tcp HOST:PORT.")
        }
        if let tcp { _ = try tcpEndpoint(tcp) }
        guard timeScale > 0, timeScale.isFinite else {
            throw ValidationError("--time-scale must be a positive number, e.g. 1 or 600.")
        }
        if let delayMs, delayMs < 0 { throw ValidationError("--delay-ms must not be negative.") }
        guard delayMs == nil || latencyMs == nil else {
            throw ValidationError("Give --latency-ms or --delay-ms, not both: --delay-ms MS is the same as --latency-ms MS.")
        }
        guard lateMs >= 0 else { throw ValidationError("--late-ms must not be negative.") }
        do {
            try faults.validate()
            for model in try models(start: 0) { try model.validate() }
            if let start { _ = try SimulationTime.parse(start, timeZone: try zone()) }
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        // Block the stop signals before any thread starts, so every thread inherits the mask and
        // sigwait below is the only place they are delivered.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let startTime = try start.map { try SimulationTime.parse($0, timeZone: try zone()) } ?? Date().timeIntervalSince1970
        let clock = ScaledClock(start: startTime, timeScale: timeScale)
        let simulator = try Simulator(inverters: try models(start: startTime), clock: clock, faults: faults)
        if let replay {
            let script = try CaptureScript(text: String(contentsOfFile: replay, encoding: .utf8))
            simulator.startReplay(script) { note in FileHandle.standardError.write(Data("aurora-sim: replay: \(note)\n".utf8)) }
        }

        let stop: () -> Void
        let served: String
        if let linkPath {
            let server = try PseudoTerminalServer(simulator: simulator, linkPath: linkPath)
            served = server.slavePath ?? linkPath
            stop = server.stop
        } else {
            let endpoint = try tcpEndpoint(tcp ?? "")
            let server = try TCPServer(simulator: simulator, host: endpoint.host, port: endpoint.port)
            served = server.address
            stop = server.stop
        }
        defer { stop() }
        // Unbuffered: whoever started us reads this line while we keep running.
        try FileHandle.standardOutput.write(contentsOf: Data((served + "\n").utf8))

        var received: Int32 = 0
        sigwait(&signals, &received)
    }

    private var faults: FaultSettings {
        var faults = FaultSettings(
            crcErrorRate: crcErrorRate, dropRate: dropRate, garbageRate: garbageRate,
            delay: latencyMs?.mean ?? .milliseconds(delayMs ?? 0), delayJitter: latencyMs?.jitter ?? .zero,
            baud: baud, seed: seed,
            lateRate: lateRate, lateDelay: .milliseconds(lateMs)
        )
        faults.glitchRate = glitchRate
        faults.nanMeasure = nanMeasure
        return faults
    }

    private func zone() throws(SimulatorError) -> TimeZone {
        guard let timeZone else { return .current }
        guard let zone = TimeZone(identifier: timeZone) else {
            throw .invalidSetting("unknown time zone \"\(timeZone)\"; use an IANA name such as Europe/Rome or UTC")
        }
        return zone
    }

    private func models(start: Double) throws(SimulatorError) -> [InverterModel] {
        let zone = try zone()
        return (addresses.isEmpty ? [2] : addresses).map { address in
            InverterModel(
                address: address, timeZone: zone, day: SolarDay(nominalPower: nominalPower),
                alwaysAwake: alwaysAwake, energyOrigin: start, alarms: alarms.map { $0.scheduled(start: start) }
            )
        }
    }

    private func tcpEndpoint(_ text: String) throws -> (host: String, port: UInt16) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw ValidationError("--tcp needs HOST:PORT, e.g. 127.0.0.1:4000 (port 0 picks a free port).")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--tcp needs a host before the port, e.g. 127.0.0.1:\(port).") }
        return (host, port)
    }
}

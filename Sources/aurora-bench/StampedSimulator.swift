import AuroraBridge
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation

/// One always-awake simulated inverter at address 2, served from the bench process on a
/// pseudo-terminal without baud delay, that stamps (``HostClock``) every reply to "read time"
/// (command 70, the last of the 32 transactions of a poll) right before writing it: the start
/// of a packet's latency (a stamp taken after the write could be delayed by preemption past the
/// bridge's reaction).
final class StampedSimulator: Sendable {
    /// The link path the bridge opens as its serial port.
    let linkPath: String
    private let server: PseudoTerminalServer
    private let stamps: Locked<[UInt64]>

    /// Serves the inverter at `linkPath`.
    init(linkPath: String) throws {
        let start = Date().timeIntervalSince1970
        let model = InverterModel(address: 2, timeZone: .current, alwaysAwake: true, energyOrigin: start)
        let simulator = try Simulator(inverters: [model], clock: ScaledClock(start: start))
        let stamps = Locked<[UInt64]>([])
        simulator.observeWrittenReplies { frame in
            if frame[1] == Command.readTime.rawValue {
                let time = HostClock.nanoseconds()
                stamps.withLock { $0.append(time) }
            }
        }
        self.stamps = stamps
        server = try PseudoTerminalServer(simulator: simulator, linkPath: linkPath)
        self.linkPath = server.linkPath
    }

    /// The stamps of the last replies of every poll so far, in order.
    var lastReplies: [UInt64] { stamps.value }

    /// Stops serving.
    func stop() { server.stop() }
}

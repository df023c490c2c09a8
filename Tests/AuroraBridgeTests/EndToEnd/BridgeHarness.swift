import AuroraBridge
import AuroraSimulator
import AuroraTestSupport
import Logging
import ServiceLifecycle

/// Runs a ``BridgeService`` (with `addOns`, logging to `logger`) in this process while `body`
/// runs, then shuts it down gracefully (as SIGTERM would) and waits for it to finish. As
/// `aurora-bridge run` does, it makes and connects a ``BrokerSession`` first, and runs the bridge
/// in a group beside the session's outbox, which ends once it handled the last acknowledgements.
func withBridge(
    _ configuration: BridgeConfiguration,
    clock: any WallClock = SystemWallClock(),
    hostClock: @escaping @Sendable () -> HostClockState = HostClockState.kernel,
    addOns: [any BridgeAddOn] = [],
    logger: Logger = Logger(label: "aurora.bridge"),
    _ body: () async throws -> Void
) async throws {
    let session = try BrokerSession(configuration: configuration)
    try session.connect()
    let service = BridgeService(
        configuration: configuration, session: session, clock: clock, hostClock: hostClock, addOns: addOns, logger: logger)
    let group = ServiceGroup(configuration: .init(
        services: [
            .init(service: session.service),
            .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup),
        ],
        logger: logger))
    try await withRunning(group, body)
}

/// Parses test configuration text the way `aurora-bridge run` does.
func parse(_ configuration: TestBridgeConfiguration) throws -> BridgeConfiguration {
    try BridgeConfiguration.parse(configuration.text, file: "test.conf", environment: [:])
}

/// A simulator clock that follows the bridge's wall clock, so both live in the same simulated day.
struct FollowingClock: SimulationClock {
    let wall: any WallClock
    var now: Double { wall.now() }
}

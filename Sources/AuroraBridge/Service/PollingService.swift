import AuroraLink
import ServiceLifecycle

/// The bus poller as a service: polls until the group shuts down, then closes the bus (the
/// services that use it through the poller, commands and clock sync, stop before it).
struct PollingService: Service, CustomStringConvertible {
    let poller: Poller
    let link: Link

    var description: String { "poller" }

    func run() async throws {
        do {
            try await runUntilGracefulShutdown { try await poller.run() }
        } catch {
            await link.close()
            throw error
        }
        await link.close()
    }
}

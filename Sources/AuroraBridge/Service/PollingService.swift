import ServiceLifecycle

/// The bus poller as a service: polls until the group shuts down.
struct PollingService: Service, CustomStringConvertible {
    let poller: Poller

    var description: String { "poller" }

    func run() async throws {
        try await runUntilGracefulShutdown { try await poller.run() }
    }
}

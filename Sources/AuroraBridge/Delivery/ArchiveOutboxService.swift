import ServiceLifecycle

/// The ``ArchiveOutbox``'s event loop as a service: it handles the output's events (connects,
/// acknowledgements, rejections) until the output's event stream ends, when the client
/// disconnects, and then waits for the group to stop it.
///
/// It lives as long as its ``BrokerSession``, not as long as one run of the bridge: it runs in
/// the group that holds the session, beside the bridge that a reload restarts, so no
/// acknowledgement is missed between two runs. Whoever ends the session disconnects the client
/// (the bridge's MQTT events service on a shutdown, ``BrokerSession/close()`` when a reload
/// changes the broker), and the last acknowledgements mark their records delivered before this
/// service returns. Cancelled, it stops at once.
public struct ArchiveOutboxService: Service, CustomStringConvertible {
    /// The outbox whose events are handled.
    public let outbox: ArchiveOutbox

    /// The service of `outbox`.
    public init(outbox: ArchiveOutbox) { self.outbox = outbox }

    public var description: String { "archive-outbox" }

    public func run() async throws {
        await outbox.run()
        // Returning before the group asks would stop the group out of order.
        try? await gracefulShutdown()
    }
}

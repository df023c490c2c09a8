import Mosquitto
import Synchronization

/// Records every event of a ``MosquittoClient`` from the moment it is created, so tests can
/// await "the second `connected`" or "the `published` for this mid" with a deadline.
///
/// ```swift
/// let log = MosquittoEventLog(client)       // before connect()
/// try client.connect()
/// try await log.waitFor("connected") { if case .connected = $0 { true } else { false } }
/// ```
public final class MosquittoEventLog: Sendable {
    private let recorded = Mutex<[MosquittoEvent]>([])

    /// Starts recording `client`'s events (until the client disconnects or goes away).
    public init(_ client: MosquittoClient) {
        let events = client.events()
        Task { [self] in
            for await event in events {
                self.recorded.withLock { $0.append(event) }
            }
        }
    }

    /// Every event so far, in order.
    public var events: [MosquittoEvent] { recorded.withLock { $0 } }

    /// How many recorded events satisfy `predicate`.
    public func count(where predicate: (MosquittoEvent) -> Bool) -> Int {
        recorded.withLock { $0.filter(predicate).count }
    }

    /// Returns the `count`-th event satisfying `predicate`, waiting up to `timeout` for it.
    /// - Throws: ``Deadline/Expired`` listing the events seen instead.
    @discardableResult
    public func waitFor(
        _ what: String,
        count: Int = 1,
        timeout: Duration = Deadline.eventTimeout,
        where predicate: @Sendable (MosquittoEvent) -> Bool
    ) async throws -> MosquittoEvent {
        do {
            return try await Deadline.wait(for: what, timeout: timeout) {
                let matches = events.filter(predicate)
                return matches.count >= count ? matches[count - 1] : nil
            }
        } catch let expired as Deadline.Expired {
            throw Deadline.Expired(what: "\(expired.what) (events: \(events))", timeout: expired.timeout)
        }
    }

    /// Waits for the `count`-th `connected` event.
    @discardableResult
    public func waitForConnected(count: Int = 1, timeout: Duration = Deadline.eventTimeout) async throws -> ConnectionAcknowledgement {
        let event = try await waitFor("connected #\(count)", count: count, timeout: timeout) {
            if case .connected = $0 { true } else { false }
        }
        guard case .connected(let acknowledgement) = event else { preconditionFailure("filtered on .connected") }
        return acknowledgement
    }

    /// Waits for the `count`-th `disconnected` event and returns its reason.
    @discardableResult
    public func waitForDisconnected(count: Int = 1, timeout: Duration = Deadline.eventTimeout) async throws -> DisconnectReason {
        let event = try await waitFor("disconnected #\(count)", count: count, timeout: timeout) {
            if case .disconnected = $0 { true } else { false }
        }
        guard case .disconnected(let reason) = event else { preconditionFailure("filtered on .disconnected") }
        return reason
    }

    /// Waits for the `published` event (PUBACK/PUBCOMP, or QoS 0 sent) of `messageID`.
    public func waitForPublished(_ messageID: MessageID, timeout: Duration = Deadline.eventTimeout) async throws {
        try await waitFor("published(\(messageID))", timeout: timeout) { $0 == .published(messageID) }
    }
}

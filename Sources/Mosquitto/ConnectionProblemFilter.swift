/// Decides which connection problems are worth a log line: each distinct problem once per
/// episode (from a loss, or the start, until the broker accepts again), so a broker that refuses
/// the client for an hour gives one line, not one per attempt.
///
/// ```swift
/// var problems = ConnectionProblemFilter()
/// for await event in client.events() {
///     switch problems.report(for: event) {
///     case .refused(let error)?: logger.error("the broker refused the connection: \(error)")
///     case .lost(let reason)?: logger.warning("disconnected from the broker; reconnecting: \(reason)")
///     case nil: break
///     }
/// }
/// ```
public struct ConnectionProblemFilter: Sendable {
    /// A problem to log.
    public enum Report: Sendable, Equatable {
        /// The broker refused the connection (CONNACK with a failure code).
        case refused(MosquittoError)
        /// The connection ended unexpectedly, or an attempt failed.
        case lost(DisconnectReason)
    }

    /// What makes two problems the same: the libmosquitto code and the broker's reason code.
    private struct Key: Hashable {
        let refused: Bool
        let code: MosquittoError.Code
        let reasonCode: ReasonCode?
    }

    private var reported: Set<Key> = []
    private var lastWasRefusal = false

    /// Creates a filter at the start of an episode.
    public init() {}

    /// The problem to log for `event`, or `nil` when there is nothing new to say. A `connected`
    /// event ends the episode; the disconnect that follows a refusal is part of the refusal.
    public mutating func report(for event: MosquittoEvent) -> Report? {
        switch event {
        case .connected:
            reported.removeAll()
            lastWasRefusal = false
            return nil
        case .connectionRefused(let error):
            lastWasRefusal = true
            let key = Key(refused: true, code: error.code, reasonCode: error.reasonCode)
            return reported.insert(key).inserted ? .refused(error) : nil
        case .disconnected(.unexpected(let error)):
            defer { lastWasRefusal = false }
            guard !lastWasRefusal else { return nil }
            let key = Key(refused: false, code: error.code, reasonCode: error.reasonCode)
            return reported.insert(key).inserted ? .lost(.unexpected(error)) : nil
        default:
            return nil
        }
    }
}

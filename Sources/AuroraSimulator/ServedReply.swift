import AuroraProtocol

/// One reply the simulator produced, as recorded in its log.
public struct ServedReply: Sendable, Hashable {
    /// The request it answered.
    public let request: Request
    /// The reply the model gave, before any fault was applied.
    public let response: Response
    /// The simulated Unix time at which it was served.
    public let time: Double
    /// The fault injected into it, if any.
    public let fault: InjectedFault?

    /// Whether the complete, valid reply went out (possibly after stray bytes).
    public var arrivedIntact: Bool { fault?.replyArrivesIntact ?? true }
}

import AuroraLink
import AuroraProtocol

/// The bridge's own counters, published on the stats topic.
public struct BridgeCounters: Sendable, Hashable {
    /// Full polls that succeeded.
    public var pollsOK = 0
    /// Polls and probes that got no answer.
    public var pollsFailed = 0
    /// Duration of the last successful poll, in seconds.
    public var lastPollDuration: Double?
    /// Connections to the broker after the first.
    public var reconnects = 0
    /// Connections to the broker so far.
    public var connects = 0

    /// Zero counters.
    public init() {}

    /// The stats payload: these counters, the bus counters and the archive backlog (left out
    /// when unknown).
    public func json(uptime: Double, link: LinkStatistics, archiveBacklog: Int?) -> JSONObject {
        var json = JSONObject()
        json.add("uptime", Int64(uptime.rounded(.down)))
        json.add("pollsOk", pollsOK)
        json.add("pollsFailed", pollsFailed)
        json.add("requests", link.requests)
        json.add("crcErrors", link.crcErrors)
        json.add("timeouts", link.timeouts)
        json.add("shortReplies", link.shortReplies)
        json.add("resynchronisations", link.resynchronisations)
        json.add("portReopens", link.reopens)
        json.add("realignments", link.realignments)
        if let lastPollDuration {
            json.add("lastPollDuration", FieldValue.double((lastPollDuration * 1000).rounded() / 1000))
        }
        json.add("reconnects", reconnects)
        if let archiveBacklog { json.add("archiveBacklog", archiveBacklog) }
        return json
    }
}

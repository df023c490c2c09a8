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
    /// Energy counter readings left out as implausible (see ``CounterGuard``).
    public var implausibleReadings = 0
    /// Measures left out because they read NaN or infinite.
    public var nonFiniteReadings = 0

    /// Zero counters.
    public init() {}

    /// The stats payload, a flat object: these counters, the bus counters, the reply timeout of
    /// each inverter that answered (`replyTimeout_<inverter>` in seconds, named by `inverters`:
    /// address → name; in address order), the archive backlog (left out when unknown) and the
    /// archive's health (`archiveDegraded`, `archiveQueued`: records waiting in memory for the database,
    /// `archiveDropped`, `archiveInFlight`).
    public func json(
        uptime: Double, link: LinkStatistics, inverters: [UInt8: String] = [:], archiveBacklog: Int?,
        archive: ArchiveOutbox.Status? = nil
    ) -> JSONObject {
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
        for (address, timeout) in link.replyTimeouts.sorted(by: { $0.key < $1.key }) {
            json.add("replyTimeout_" + (inverters[address] ?? String(address)), FieldValue.double((timeout.seconds * 1000).rounded() / 1000))
        }
        if let lastPollDuration {
            json.add("lastPollDuration", FieldValue.double((lastPollDuration * 1000).rounded() / 1000))
        }
        json.add("reconnects", reconnects)
        json.add("implausibleReadings", implausibleReadings)
        json.add("nonFiniteReadings", nonFiniteReadings)
        if let archiveBacklog { json.add("archiveBacklog", archiveBacklog) }
        if let archive {
            json.add("archiveDegraded", archive.degraded)
            json.add("archiveQueued", archive.queued)
            json.add("archiveDropped", archive.dropped)
            json.add("archiveInFlight", archive.inFlight)
        }
        return json
    }
}

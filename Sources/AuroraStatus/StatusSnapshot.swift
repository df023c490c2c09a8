import AuroraBridge
import AuroraLink
import AuroraProtocol

/// Everything the status page, `/api/status` and `/metrics` show, read at one moment (see
/// ``StatusCollector``). Times are Unix seconds.
struct StatusSnapshot: Sendable {
    /// One inverter, or the plant.
    struct Inverter: Sendable {
        /// Its configured name.
        var name: String
        /// Its bus address; nil for the plant.
        var address: Int?
        /// Its model: decoded from its identity, else as configured.
        var model: String?
        /// Its serial number, once its identity was read.
        var serialNumber: String?
        /// Whether it answers; nil until the poller said.
        var availability: Availability?
        /// Its last loop packet, whatever its availability.
        var lastPacket: LoopPacket?
        /// Its last decoded states.
        var status: InverterStatus?
        /// The reply timeout the link learned for it, in seconds.
        var replyTimeout: Double?

        /// The last packet while the inverter is online: its readings of now. Nil otherwise, so
        /// that an asleep or unreachable inverter shows no value rather than a stale one or 0.
        var current: LoopPacket? { availability == .online ? lastPacket : nil }

        /// The AC power now (`gridPower`), online only.
        var power: FieldValue? { current?["gridPower"] }

        /// Today's energy (`dayEnergy`): the last packet's, when it was read on `day`.
        func dayEnergy(on day: LocalDay) -> FieldValue? {
            guard let lastPacket, (day.start..<day.end).contains(lastPacket.dateTime) else { return nil }
            return lastPacket["dayEnergy"]
        }

        /// The lifetime energy (`totalEnergy`) last read: it holds while the inverter sleeps.
        var totalEnergy: FieldValue? { lastPacket?["totalEnergy"] }
    }

    /// The bridge's clock when the snapshot was read.
    var time: Double
    /// The local day of ``time``.
    var day: LocalDay
    /// How often the page refreshes, in seconds: the shortest poll interval, at least a second.
    var refreshInterval: Double
    /// The plant, when there is one.
    var plant: Inverter?
    /// The inverters, in configuration order.
    var inverters: [Inverter]
    /// Seconds since the bridge (this run of it) started.
    var uptime: Double
    /// The broker, `host:port`.
    var broker: String
    /// Whether the broker connection is up.
    var connected: Bool
    /// Since when it has been up (connected) or down (not connected); nil when unknown.
    var connectionSince: Double?
    /// `[homeassistant] discovery`.
    var discovery: String
    /// `[topics] prefix`.
    var topicPrefix: String
    /// Polls, reconnects, readings left out.
    var counters: BridgeCounters
    /// The bus's counters.
    var link: LinkStatistics
    /// The share of the last stats interval the bus was busy; nil before the first.
    var busUtilization: FieldValue?
    /// Archive records not delivered yet; nil when the database cannot say.
    var undelivered: Int?
    /// The delivery window: degraded, queued in memory, dropped, in flight.
    var delivery: ArchiveOutbox.Status
    /// Archive records of ``day`` (every inverter and the plant); nil when the database cannot say.
    var recordsToday: Int?
    /// The last warnings and errors, newest first.
    var problems: [RecentProblems.Entry]
    /// The last stored events (``StatusSnapshot/eventCount`` at most), newest first; nil when the
    /// database cannot say.
    var events: [StoredEvent]?

    /// How many events the page lists.
    static let eventCount = 20

    /// The inverter whose day the page plots: the plant, else the first inverter.
    var plotted: String? { plant?.name ?? inverters.first?.name }
}

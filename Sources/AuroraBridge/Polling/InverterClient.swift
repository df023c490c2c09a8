import AuroraLink
import AuroraProtocol

/// What the poller needs from one inverter. ``Inverter`` is the real one; unit tests of the
/// poller use an in-memory stand-in.
public protocol InverterClient: Sendable {
    /// The inverter's bus address.
    var address: UInt8 { get }
    /// The state request with the link's full retries.
    func status() async throws(LinkError) -> InverterStatus
    /// The state request with a single try: the cheap probe of a sleeping inverter.
    func probe() async throws(LinkError) -> InverterStatus
    /// One full poll of measures, counters and clock.
    func readAll() async throws(LinkError) -> InverterSnapshot
    /// Command 86: the last four alarms, oldest first.
    func lastAlarms() async throws(LinkError) -> AlarmHistory
    /// Part number, serial, version, firmware and manufacture date.
    func identity() async throws(LinkError) -> InverterIdentity
    /// The inverter clock as Unix seconds.
    func time() async throws(LinkError) -> Int64
    /// Sets the inverter clock to the Unix time `unix` (some models clear their history).
    func setTime(_ unix: Int64) async throws(LinkError)
}

extension Inverter: InverterClient {}

import AuroraProtocol

/// A typed client for one inverter on a bus.
///
/// Every call is one transaction (or a sequence of them for ``readAll()`` and ``identity()``) on
/// the inverter's ``Link``; errors are ``LinkError``s that say what to check.
public struct Inverter: Sendable {
    /// The bus the inverter is on.
    public let link: Link
    /// The inverter's address on the bus (1–63).
    public let address: UInt8
    /// How the inverter's local-time clock maps to Unix time.
    public var clock: InverterClock

    /// A client for the inverter at `address` on `link`.
    public init(link: Link, address: UInt8, clock: InverterClock = InverterClock()) {
        self.link = link
        self.address = address
        self.clock = clock
    }

    /// Command 50: the decoded states and current alarm.
    public func status() async throws(LinkError) -> InverterStatus {
        InverterStatus(reply: try await link.transact(.state(address: address)))
    }

    /// Command 50 with a single try: the cheap way to ask whether a sleeping inverter woke up.
    public func probe() async throws(LinkError) -> InverterStatus {
        InverterStatus(reply: try await link.transact(.state(address: address), tries: 1))
    }

    /// Command 59: one DSP measure in the inverter's unit.
    public func measure(_ type: MeasureType, global: Bool = false) async throws(LinkError) -> Float {
        try await link.transact(.measure(type, global: global, address: address)).float
    }

    /// Command 78: one cumulated energy counter in Wh.
    public func energy(_ period: EnergyPeriod) async throws(LinkError) -> UInt32 {
        try await link.transact(.energy(period, address: address)).uint32
    }

    /// Command 70: the inverter clock as Unix seconds.
    public func time() async throws(LinkError) -> Int64 {
        clock.unixTime(fromInverter: try await link.transact(Request(address: address, command: .readTime)).uint32)
    }

    /// Command 71: sets the inverter clock to the Unix time `unix`.
    ///
    /// - Important: some models are known to clear their history (all but the total energy)
    ///   when the clock is set.
    public func setTime(_ unix: Int64) async throws(LinkError) {
        _ = try await link.transact(.setTime(inverterSeconds: clock.inverterSeconds(fromUnix: unix), address: address))
    }

    /// Command 86: the last four alarms, oldest first.
    public func lastAlarms() async throws(LinkError) -> AlarmHistory {
        AlarmHistory(reply: try await link.transact(Request(address: address, command: .lastAlarms)))
    }

    /// Commands 52, 63, 58, 72 and 65: the inverter's identity.
    public func identity() async throws(LinkError) -> InverterIdentity {
        let part = try await link.transact(Request(address: address, command: .partNumber)).fullText
        let serial = try await link.transact(Request(address: address, command: .serialNumber)).fullText
        let version = VersionInfo(reply: try await link.transact(Request(address: address, command: .version)))
        let firmware = FirmwareRelease(reply: try await link.transact(Request(address: address, command: .firmware)))
        let date = ManufactureDate(reply: try await link.transact(Request(address: address, command: .manufacturingDate)))
        return InverterIdentity(partNumber: part, serialNumber: serial, version: version, firmware: firmware, manufactureDate: date)
    }

    /// One full poll: the 25 measures, the 6 energy counters and the clock (32 transactions).
    ///
    /// A reading that only got bad replies or a refusal is left out and listed in
    /// ``InverterSnapshot/failures``; items the model does not support are skipped silently.
    /// - Throws: ``LinkError/noReply(_:tries:timeout:)`` as soon as one request gets no reply at
    ///   all (the inverter is asleep or unreachable: the rest would fail too), and
    ///   ``LinkError/deviceUnavailable(_:reason:)`` when the port is gone.
    public func readAll() async throws(LinkError) -> InverterSnapshot {
        try await link.readAll(address: address, clock: clock)
    }
}

extension Link {
    /// One full poll of the inverter at `address`, run entirely on the link's thread so the
    /// 32 transactions follow each other without hops between threads.
    func readAll(address: UInt8, clock: InverterClock) throws(LinkError) -> InverterSnapshot {
        var snapshot = InverterSnapshot(address: address)
        func read(_ request: Request) throws(LinkError) -> Response? {
            do {
                let reply = try transact(request)
                snapshot.globalState = reply.globalState
                return reply
            } catch {
                switch error {
                case .noReply, .deviceUnavailable, .cannotOpen, .portInUse, .invalidPort, .unsupportedBaudRate:
                    throw error
                case .refused where error.isNotSupported:
                    return nil
                case .badReply, .refused:
                    snapshot.failures.append(.init(request: request, error: error))
                    return nil
                }
            }
        }
        for type in MeasureType.polled {
            if let reply = try read(.measure(type, address: address)) { snapshot.measures[type] = reply.float }
        }
        for period in EnergyPeriod.allCases {
            if let reply = try read(.energy(period, address: address)) { snapshot.energy[period] = reply.uint32 }
        }
        if let reply = try read(Request(address: address, command: .readTime)) {
            snapshot.inverterTime = clock.unixTime(fromInverter: reply.uint32)
        }
        return snapshot
    }
}

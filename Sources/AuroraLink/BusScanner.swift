import AuroraProtocol
import Logging

/// Finds the inverters on a bus: asks every address once, cheaply, then reads the identity of
/// those that answered.
///
/// 1. **Sweep.** One state request (command 50) per address, one try, a short timeout, on a link
///    whose probes are forgotten after one timeout: an absent address costs exactly one timeout
///    (63 × 0.3 s ≈ 19 s), and the link's alignment (see ``Link``) keeps a late reply to one
///    address from being decoded as the next one's answer. A frame that cannot be placed (a late
///    reply) makes its address *and* the silent one before it candidates.
/// 2. **Verify.** After the sweep's stragglers had time to arrive (two sweep timeouts), a fresh
///    link per candidate, with the normal timeout and tries, reads its identity and state. A
///    candidate that stays silent is not an inverter (it was a late reply from its neighbour).
///
/// So a scan never reports an address that has no inverter. An inverter that always answers
/// later than the sweep timeout may be missed: raise ``sweepTimeout``.
public struct BusScanner: Sendable {
    /// The serial device or TCP endpoint.
    public var port: PortAddress
    /// Serial line speed.
    public var baudRate: Int
    /// The addresses to ask, in order.
    public var addresses: ClosedRange<UInt8>
    /// How long the sweep waits for each address.
    public var sweepTimeout: Duration
    /// How long each identity read waits for its reply (three tries).
    public var readTimeout: Duration
    /// Where every frame of the scan is recorded, or nil.
    public var capture: (any LinkCapture)?

    /// A scanner for `port`; by default addresses 1–63, 0.3 s per address, 2 s per identity read.
    public init(
        port: PortAddress, baudRate: Int = 19200, addresses: ClosedRange<UInt8> = 1...63,
        sweepTimeout: Duration = .milliseconds(300), readTimeout: Duration = .seconds(2)
    ) {
        self.port = port
        self.baudRate = baudRate
        self.addresses = addresses
        self.sweepTimeout = sweepTimeout
        self.readTimeout = readTimeout
    }

    /// Scans the bus. Returns the inverters found, by address (empty if none answered).
    /// - Throws: ``LinkError`` when the port cannot be opened or is lost.
    public func scan(logger: Logger = Logger(label: "aurora.scan")) async throws(LinkError) -> [FoundInverter] {
        let candidates = try await sweep(logger: logger)
        guard !candidates.isEmpty else { return [] }
        try? await Task.sleep(for: sweepTimeout * 2)
        var found: [FoundInverter] = []
        for address in candidates.sorted() {
            if let inverter = try await verify(address, logger: logger) { found.append(inverter) }
        }
        return found
    }

    /// Reads the identity and state of the candidate at `address`, or nil if it does not answer.
    ///
    /// On a fresh link: what a silent candidate left outstanding cannot hold up the proof of
    /// alignment for the next one.
    private func verify(_ address: UInt8, logger: Logger) async throws(LinkError) -> FoundInverter? {
        let link = Link(configuration: LinkConfiguration(port: port, baudRate: baudRate, readTimeout: readTimeout), logger: logger, capture: capture)
        try await link.open()
        let inverter = Inverter(link: link, address: address)
        do {
            let identity = try await inverter.identity()
            let status = try await inverter.status()
            await link.close()
            return FoundInverter(address: address, identity: identity, status: status)
        } catch {
            await link.close()
            switch error {
            case .noReply:
                logger.debug("candidate did not answer again", metadata: ["address": "\(address)"])
                return nil
            case .badReply, .refused:
                logger.warning("inverter answered the sweep but its identity could not be read", metadata: ["address": "\(address)", "error": "\(error)"])
                return nil
            default:
                throw error
            }
        }
    }

    /// The addresses that answered the sweep, or sent something that cannot be placed.
    private func sweep(logger: Logger) async throws(LinkError) -> Set<UInt8> {
        let configuration = LinkConfiguration(
            port: port, baudRate: baudRate, readTimeout: sweepTimeout, maxTries: 1, lateReplyHorizon: sweepTimeout
        )
        let link = Link(configuration: configuration, logger: logger, capture: capture)
        try await link.open()
        var candidates: Set<UInt8> = []
        var previousSilent = false
        for address in addresses {
            do {
                _ = try await link.transact(.state(address: address), tries: 1)
                candidates.insert(address)
                previousSilent = false
            } catch {
                switch error {
                case .noReply:
                    previousSilent = true
                case .badReply:
                    // Possibly the late reply of the silent address before it.
                    if previousSilent, address > addresses.lowerBound { candidates.insert(address - 1) }
                    candidates.insert(address)
                    previousSilent = false
                case .refused:
                    candidates.insert(address)
                    previousSilent = false
                default:
                    throw error
                }
            }
        }
        await link.close()
        return candidates
    }
}

import AuroraBridge
import AuroraSimulator
import AuroraStatus
import AuroraTestSupport
import Foundation
import Logging

/// A bridge in this process with `[http] enabled` on a reserved loopback port, polling the
/// simulator on a pseudo-terminal and publishing to a real mosquitto: what the status tests see.
struct StatusFixture {
    /// The status server's port.
    let port: UInt16
    let broker: TestBroker
    let bus: SimulatedBus
    /// Subscribed to `aurora/#` before the bridge started.
    let subscriber: TestSubscriber
    /// What the page lists as warnings and errors (the bridge's logger feeds it).
    let problems: RecentProblems

    /// The first inverter's loop packets received so far, as JSON objects.
    func loopPackets(of inverter: String = "roof") -> [[String: Any]] {
        subscriber.messages(on: "aurora/\(inverter)/loop").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.payload)) as? [String: Any]
        }
    }
}

/// Runs `body` with a ``StatusFixture``: inverters `roof` (address 2) and, with `plant`, `garage`
/// (3) polled every `pollInterval` s; `http` is added to `[http]`; `archive` is stored (as
/// delivered) before the bridge starts. Calls `body` once the first loop packet arrived and the
/// status server listens.
func withStatusBridge(
    pollInterval: Double = 0.5, plant: Bool = false, http: String = "", archive: [ArchiveRecord] = [],
    _ body: (StatusFixture) async throws -> Void
) async throws {
    let broker = try await TestBroker.start()
    let directory = try TemporaryDirectory("status")
    let reserved = ReservedPort()
    try await SimulatedBus.withPseudoTerminal(addresses: plant ? [2, 3] : [2]) { bus in
        var configuration = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
        configuration.inverters = [.init(name: "roof", address: 2, pollInterval: pollInterval)]
        if plant { configuration.inverters.append(.init(name: "garage", address: 3, pollInterval: pollInterval)) }
        configuration.extra = "[http]\nenabled = true\nlisten = \"127.0.0.1:\(reserved.port)\"\n" + http
        let store = try ArchiveStore(path: directory.file("archive.sqlite"))
        for record in archive { try await store.insert(record, delivered: true) }
        let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/#")
        let problems = RecentProblems()
        let logger = Logger(label: "aurora.bridge") { label in
            MultiplexLogHandler([StreamLogHandler.standardError(label: label), RecentProblemsLogHandler(problems: problems)])
        }
        try await withBridge(try parse(configuration), addOns: [StatusAddOn(problems: problems)], logger: logger) {
            let fixture = StatusFixture(port: reserved.port, broker: broker, bus: bus, subscriber: subscriber, problems: problems)
            try await subscriber.waitForMessage(topic: "aurora/roof/loop", timeout: .seconds(15))
            try await Deadline.until("the status server to listen on \(reserved.port)", timeout: .seconds(15)) {
                (try? RawConnection(port: reserved.port)) != nil
            }
            try await body(fixture)
        }
    }
}

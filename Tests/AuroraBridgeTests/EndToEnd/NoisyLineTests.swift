import AuroraBridge
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// Two inverters at 1 s polls on a noisy simulated line, the bridge in this process, a real
/// mosquitto: every published value is one the simulator served for that very field of that
/// inverter, and neither inverter goes unpolled for long.
@Suite struct NoisyLineTests {
    /// How long each run publishes.
    static let run: Duration = .seconds(20)

    @Test func tenPercentOfEachFaultPublishesNoWrongValueAndPollsBothInverters() async throws {
        let faults = FaultSettings(crcErrorRate: 0.1, dropRate: 0.1, garbageRate: 0.1, seed: 99)
        let loops = try await publishedLoops(faults: faults)
        for (inverter, packets) in loops {
            // Healthy gives about 20 each; realignment and retries must not stall the line.
            #expect(packets.count >= 8, "\(inverter): \(packets.count) packets in \(Self.run)")
            let times = packets.compactMap { $0["dateTime"] }
            let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
            #expect(gaps.allSatisfy { $0 <= 10 }, "\(inverter) went unpolled: gaps \(gaps)")
        }
    }

    /// Late replies, some later than the read timeout, mixed with the other faults: a late reply
    /// holds back only its own inverter's later replies, and is never taken for another's.
    @Test func lateRepliesOfTwoInvertersAreNeverTakenForEachOther() async throws {
        let faults = FaultSettings(crcErrorRate: 0.03, dropRate: 0.03, garbageRate: 0.03, seed: 7, lateRate: 0.05, lateDelay: .milliseconds(700))
        let loops = try await publishedLoops(faults: faults)
        #expect(loops.values.allSatisfy { $0.count >= 3 }, "\(loops.mapValues(\.count))")
    }

    /// Runs the bridge for ``run`` on two simulated inverters (names `east` at 2, `west` at 3)
    /// with `faults`, and checks every value of every JSON loop packet against what the
    /// simulator served for that field of that inverter. Returns the packets per inverter.
    private func publishedLoops(faults: FaultSettings) async throws -> [String: [[String: Double]]] {
        let broker = try await TestBroker.start()
        let directory = try TemporaryDirectory("noisy")
        return try await SimulatedBus.withPseudoTerminal(addresses: [2, 3], faults: faults) { bus in
            var text = TestBridgeConfiguration(brokerPort: Int(broker.port), busPort: bus.linkPath!, database: directory.file("archive.sqlite"))
            text.inverters = [.init(name: "east", address: 2, pollInterval: 1), .init(name: "west", address: 3, pollInterval: 1)]
            text.readTimeout = 0.5
            text.maxTries = 3
            let subscriber = try await TestSubscriber.connect(to: broker, filter: "aurora/+/loop")
            try await withBridge(try parse(text)) {
                try await Task.sleep(for: Self.run)
            }
            let served = ServedFieldValues(bus.simulator.servedLog)
            var loops: [String: [[String: Double]]] = [:]
            for message in subscriber.messages where !message.retain {
                let inverter = String(message.topic.split(separator: "/")[1])
                guard inverter != "plant" else { continue }
                let json = try #require(try JSONSerialization.jsonObject(with: Data(message.text.utf8)) as? [String: Double])
                let address: UInt8 = inverter == "east" ? 2 : 3
                for (field, value) in json {
                    guard let allowed = served.values(of: field, address: address) else { continue }
                    // A float is published as the shortest text that reads back as that float.
                    let published = allowed.contains(value) ? value : Double(Float(value))
                    #expect(allowed.contains(published), "\(inverter).\(field) = \(value) was never served for it: \(allowed.sorted())")
                }
                loops[inverter, default: []].append(json)
            }
            #expect(Set(loops.keys) == ["east", "west"])
            return loops
        }
    }
}

/// The values the simulator served intact, per loop field and inverter, as the bridge publishes
/// them (floats widened to double, counters as integers).
private struct ServedFieldValues {
    private var byField: [String: [UInt8: Set<Double>]] = [:]

    init(_ log: [ServedReply]) {
        let names = LoopFieldNames.fullPoll
        var requests: [Request: String] = [:]
        for (type, name) in zip(MeasureType.polled, names) {
            for address: UInt8 in [2, 3] { requests[.measure(type, address: address)] = name }
        }
        for (period, name) in zip(EnergyPeriod.allCases, names.dropFirst(MeasureType.polled.count)) {
            for address: UInt8 in [2, 3] { requests[.energy(period, address: address)] = name }
        }
        for reply in log where reply.arrivedIntact {
            guard let name = requests[reply.request] else { continue }
            let value = reply.request.command == .measure ? Double(reply.response.float) : Double(reply.response.uint32)
            byField[name, default: [:]][reply.request.address, default: []].insert(value)
        }
    }

    /// What was served for `field` of the inverter at `address`, or nil for a field not read
    /// from one request (the clock, `energy`, `dateTime`).
    func values(of field: String, address: UInt8) -> Set<Double>? {
        byField[field].map { $0[address] ?? [] }
    }
}

import AuroraTestSupport
import Foundation

/// Benchmark 2: MQTT latency, from the simulated inverter writing the reply of a poll's last
/// transaction to a subscriber receiving that poll's messages.
///
/// The real `aurora-bridge run` runs as a subprocess at a short poll interval against a
/// ``StampedSimulator`` and a local mosquitto; a subscriber in this process timestamps every
/// message under `aurora/<inverter>/loop`. Both use ``HostClock``.
struct LatencyBenchmark {
    /// Packets to measure.
    let packets: Int
    /// The bridge's poll interval in seconds.
    let pollInterval: Double
    /// Packets received first and not measured (connection set-up, first-use costs).
    let warmUpPackets = 10

    func run() async throws -> Section {
        let directory = try TemporaryDirectory("bench-mqtt")
        let broker = try await TestBroker.start()
        let server = try StampedSimulator(linkPath: directory.file("ttyAurora"))
        defer { server.stop() }

        let configuration = BenchBridgeConfiguration(
            brokerPort: broker.port, busPort: server.linkPath, database: directory.file("archive.sqlite"), pollInterval: pollInterval)
        let loopTopic = "aurora/\(configuration.inverterName)/loop"
        let recorder = try await MessageRecorder(host: broker.host, port: broker.port, filter: loopTopic + "/#")
        try configuration.write(to: directory.file("bridge.conf"))
        let bridge = try BridgeProcess(configPath: directory.file("bridge.conf"), logPath: directory.file("bridge.log"))
        let wanted = warmUpPackets + packets
        let probes = [ProcessProbe(pid: bridge.process.pid), ProcessProbe(pid: getpid())]
        let waitedBefore = probes.map { $0.runQueueDelay() }.reduce(0, +)
        let started = HostClock.seconds()
        do {
            let patience = Duration.seconds(Double(wanted) * pollInterval * 4 + 30)
            try await Deadline.until("\(wanted) packets on \(loopTopic)", timeout: patience, interval: .milliseconds(100)) {
                if bridge.process.hasExited { throw BenchmarkError("the bridge exited: \(bridge.log.suffix(1500))") }
                return recorder.count(on: loopTopic) >= wanted
            }
        } catch {
            _ = try? await bridge.terminate()
            await recorder.close()
            throw BenchmarkError("\(error); bridge log: \(bridge.log.suffix(1500))")
        }
        let waited = probes.map { $0.runQueueDelay() }.reduce(0, +) - waitedBefore
        let elapsed = HostClock.seconds() - started
        try await bridge.terminate()
        await recorder.close()
        try? await broker.stop()
        let replies = server.lastReplies
        var latencies = try Self.match(recorder.received, to: replies, loopTopic: loopTopic, skip: warmUpPackets, take: packets)
        latencies.runQueueDelayPerPacket = waited / Double(wanted)
        latencies.elapsed = elapsed
        return report(latencies)
    }

    /// The latencies of the measured packets.
    struct Latencies {
        /// Each packet's JSON message: receipt − its poll's last reply.
        var json: [Double] = []
        /// Every field message of those packets: receipt − its poll's last reply.
        var fields: [Double] = []
        /// Polls in the measured span whose JSON message never came.
        var missingPackets = 0
        /// Field messages per measured packet, on average.
        var fieldsPerPacket: Double = 0
        /// Seconds the bridge's and the bench's threads waited for a CPU, per packet.
        var runQueueDelayPerPacket: Double = 0
        /// Seconds the bridge ran.
        var elapsed: Double = 0
    }

    /// Attributes each message to the latest "read time" reply written before it (the poll it
    /// belongs to), skips the first `skip` packets and keeps the next `take`.
    static func match(_ arrivals: [MessageRecorder.Arrival], to replies: [UInt64], loopTopic: String, skip: Int, take: Int) throws -> Latencies {
        func poll(before time: UInt64) -> Int? {
            var low = 0
            var high = replies.count  // first index with replies[index] > time
            while low < high {
                let middle = (low + high) / 2
                if replies[middle] <= time { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? nil : low - 1
        }
        let jsonArrivals = arrivals.filter { $0.topic == loopTopic }
        guard jsonArrivals.count >= skip + take else {
            throw BenchmarkError("only \(jsonArrivals.count) packets arrived, \(skip + take) needed")
        }
        let measured = jsonArrivals[skip..<(skip + take)]
        guard let firstPoll = poll(before: measured.first!.time), let lastPoll = poll(before: measured.last!.time) else {
            throw BenchmarkError("a packet arrived before any reply was written")
        }
        var latencies = Latencies()
        var polls = Set<Int>()
        for arrival in arrivals {
            guard let index = poll(before: arrival.time), (firstPoll...lastPoll).contains(index) else { continue }
            let latency = Double(arrival.time - replies[index]) / 1e9
            if arrival.topic == loopTopic {
                latencies.json.append(latency)
                polls.insert(index)
            } else {
                latencies.fields.append(latency)
            }
        }
        latencies.missingPackets = (lastPoll - firstPoll + 1) - polls.count
        latencies.fieldsPerPacket = Double(latencies.fields.count) / Double(max(latencies.json.count, 1))
        return latencies
    }

    private static var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }

    private func report(_ latencies: Latencies) -> Section {
        var section = Section("2. MQTT latency: inverter reply → subscriber, loopback")
        section.definitions = [
            "Setup: aurora-bridge run (\(BuildConfiguration.name) build, subprocess, poll_interval = \(pollInterval) s, QoS 1, otherwise the shipped defaults) → mosquitto on 127.0.0.1 → a QoS 1 subscriber to aurora/<inverter>/loop/# in the bench process. The simulated inverter is served from the bench process on a pseudo-terminal, without baud delay.",
            "Latency: from the moment the simulator writes the reply of the poll's last transaction (read time, command 70; stamped just before the write(2), so preemption can only lengthen, never shorten, a measured latency) to the moment the subscriber's task took the message from the client's event stream; both stamps from CLOCK_MONOTONIC in the bench process. A message belongs to the latest poll whose last reply precedes it.",
            "Field message: each aurora/<inverter>/loop/<field> message of a packet; JSON message: aurora/<inverter>/loop, published after the fields, so it marks the whole packet received. \(latencies.json.count) packets measured after \(warmUpPackets) unmeasured ones.",
        ]
        let fields = Statistics(latencies.fields)
        let json = Statistics(latencies.json)
        section.add("field message, p50", Format.milliseconds(fields.p50, decimals: 3))
        section.add("field message, p99", Format.milliseconds(fields.p99, decimals: 3), target: "≤ 5 ms", met: fields.p99 <= 0.005)
        section.add("field message, max", Format.milliseconds(fields.maximum, decimals: 3))
        section.add("JSON message (whole packet), p50", Format.milliseconds(json.p50, decimals: 3))
        section.add("JSON message (whole packet), p99", Format.milliseconds(json.p99, decimals: 3), target: "≤ 5 ms", met: json.p99 <= 0.005)
        section.add("JSON message (whole packet), max", Format.milliseconds(json.maximum, decimals: 3))
        section.add("packets measured", "\(json.count)")
        section.add("field messages measured", "\(fields.count) (\(Format.number(latencies.fieldsPerPacket, decimals: 1)) per packet)")
        section.add("polls without a packet", "\(latencies.missingPackets)")
        section.add("field messages over 5 ms", Format.number(Double(latencies.fields.count { $0 > 0.005 }) * 100 / Double(max(fields.count, 1)), decimals: 2, unit: "%"))
        section.add("CPU wait per packet (schedstat)", Format.milliseconds(latencies.runQueueDelayPerPacket, decimals: 3))
        section.notes.append("CPU wait: time the threads of the bridge and of the bench (simulator, subscriber) spent runnable but waiting for a CPU (run_delay of /proc/<pid>/task/*/schedstat) over the run, per packet. Where it approaches the tail latencies, the tail is the host's CPU contention (load average \(Self.loadAverage) at the end, 2 cores shared with other builds) rather than the bridge. A message delayed past the next poll's last reply (50 ms) would be counted against that poll.")
        return section
    }
}

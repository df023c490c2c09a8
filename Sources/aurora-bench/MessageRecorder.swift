import AuroraTestSupport
import Mosquitto
import Synchronization

/// An MQTT subscriber that timestamps every message it receives with ``HostClock``, at the
/// moment the message comes out of the client's event stream in a Swift task (libmosquitto's
/// network thread received it an event-stream hop earlier).
final class MessageRecorder: Sendable {
    /// One received message.
    struct Arrival: Sendable {
        /// The topic.
        let topic: String
        /// The payload as text.
        let text: String
        /// ``HostClock/nanoseconds()`` on arrival.
        let time: UInt64
    }

    private struct State {
        var arrivals: [Arrival] = []
        var counts: [String: Int] = [:]
        var subscribed = false
    }

    private let client: MosquittoClient
    private let state = Mutex(State())

    /// Connects to `host`:`port`, subscribes to `filter` at QoS 1 and returns once the broker
    /// acknowledged the subscription.
    init(host: String, port: UInt16, filter: String) async throws {
        client = try MosquittoClient(configuration: MosquittoConfiguration(host: host, port: Int(port), clientID: "aurora-bench-subscriber"))
        let events = client.events()
        Task { [self] in
            for await event in events {
                switch event {
                case .message(let message):
                    let time = HostClock.nanoseconds()
                    self.state.withLock { state in
                        state.arrivals.append(Arrival(topic: message.topic, text: message.text, time: time))
                        state.counts[message.topic, default: 0] += 1
                    }
                case .subscribed:
                    self.state.withLock { $0.subscribed = true }
                default:
                    break
                }
            }
        }
        _ = try client.subscribe(filter, qos: .atLeastOnce)
        try client.connect()
        try await Deadline.until("the bench subscriber to subscribe to \(filter)", timeout: .seconds(10)) {
            self.state.withLock { $0.subscribed }
        }
    }

    /// Everything received so far, in order of arrival.
    var received: [Arrival] { state.withLock { $0.arrivals } }

    /// How many messages on exactly `topic` arrived so far.
    func count(on topic: String) -> Int {
        state.withLock { $0.counts[topic] ?? 0 }
    }

    /// Disconnects.
    func close() async {
        await client.disconnect()
    }
}

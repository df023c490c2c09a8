import AuroraTestSupport
import Mosquitto
import Synchronization
import Testing

@Suite("Event streams and cancellation")
struct EventStreamCancellationTests {
    /// Consumers of ``MosquittoClient/events(bufferingPolicy:)`` come and go (cancelled, as a
    /// reload cancels the bridge's services) while acknowledgements keep arriving: neither side
    /// waits for the other. Yielding an event under the hub's lock deadlocked with the
    /// cancellation of a consumer (whose stream's termination takes that lock).
    @Test func consumersCancelledWhileEventsArriveNeverDeadlock() async throws {
        let broker = try await TestBroker.start()
        let client = try MosquittoClient(configuration: broker.clientConfiguration(clientID: "cancelling"))
        let log = MosquittoEventLog(client)
        try client.connect()
        try await log.waitForConnected()
        let churned = Churned()
        Task {
            for _ in 0..<2_000 {
                let consumer = Task {
                    for await _ in client.events() {}
                }
                // Its acknowledgement arrives while this or a later consumer is cancelled.
                _ = try? client.publish(topic: "aurora/test/flood", text: "x", qos: .atLeastOnce)
                await Task.yield()
                consumer.cancel()
                await consumer.value
            }
            churned.done.store(true, ordering: .releasing)
        }
        try await Deadline.until("2,000 consumers to come and go", timeout: .seconds(60)) { churned.done.load(ordering: .acquiring) }
        let mid = try client.publish(topic: "aurora/test/last", text: "last", qos: .atLeastOnce)
        try await log.waitForPublished(mid)
        await client.disconnect()
    }

    private final class Churned: Sendable {
        let done = Atomic(false)
    }
}

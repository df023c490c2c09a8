import AuroraTestSupport
import ServiceLifecycle
import Testing

@testable import AuroraBridge

/// The outbox's event loop as a service, against an in-memory output and a real store.
@Suite struct ArchiveOutboxServiceTests {
    @Test func acknowledgementsMarkRecordsDeliveredWhileItRuns() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await DeliveryFixture.store(in: folder, holding: try DeliveryFixture.records(3))
            let output = InMemoryOutput(connected: true)
            let outbox = ArchiveOutbox(output: output, retryInterval: .seconds(3_600))
            try await withRunning(ArchiveOutboxService(outbox: outbox)) {
                await outbox.attach(store: store, publisher: try DeliveryFixture.publisher(output))
                #expect(output.messages.count == 9)
                output.acknowledgeNew()
                try await Deadline.until("every record to be delivered", timeout: .seconds(60)) { try await store.undeliveredCount() == 0 }
                await output.disconnect()  // as the bridge does when it stops: the loop ends
            }
        }
    }

    @Test func itKeepsGoingAcrossANewAttachAsAcrossAReload() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await DeliveryFixture.store(in: folder, holding: try DeliveryFixture.records(2))
            let output = InMemoryOutput(connected: true)
            let outbox = ArchiveOutbox(output: output, retryInterval: .seconds(3_600))
            try await withRunning(ArchiveOutboxService(outbox: outbox)) {
                await outbox.attach(store: store, publisher: try DeliveryFixture.publisher(output))
                let inFlight = output.messages
                await outbox.attach(store: store, publisher: try DeliveryFixture.publisher(output))
                for message in inFlight { output.acknowledge(message.id) }
                try await Deadline.until("the records in flight to be delivered", timeout: .seconds(60)) { try await store.undeliveredCount() == 0 }
                #expect(output.messages.count == inFlight.count, "nothing published again")
                await output.disconnect()
            }
        }
    }

    @Test func onceTheOutputDisconnectedItWaitsForTheGroupInsteadOfStoppingOutOfOrder() async throws {
        let output = InMemoryOutput(connected: true)
        let service = ArchiveOutboxService(outbox: ArchiveOutbox(output: output, retryInterval: .seconds(3_600)))
        let returned = Locked(false)
        try await withRunning(ClosureService { try await service.run(); returned.withLock { $0 = true } }) {
            await output.disconnect()
            try await Task.sleep(for: .milliseconds(100))
            #expect(!returned.value)
        }
        #expect(returned.value)
    }

    @Test func cancelledItStopsAtOnce() async throws {
        let output = InMemoryOutput(connected: true)
        let service = ArchiveOutboxService(outbox: ArchiveOutbox(output: output, retryInterval: .seconds(3_600)))
        let running = Task { try await service.run() }
        running.cancel()
        try await running.value
    }
}

/// A service made of a closure.
struct ClosureService: Service {
    let body: @Sendable () async throws -> Void

    init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    func run() async throws { try await body() }
}

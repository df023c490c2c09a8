import Mosquitto

/// Why a one-shot broker command (`archive replay`, `discovery remove`) did not complete.
public enum OneShotError: Error, CustomStringConvertible {
    /// The broker could not be reached in time.
    case noBroker(host: String, port: Int)
    /// The broker stopped acknowledging before everything was acknowledged: what was done, and
    /// the command (`replay`, `removal`) to run again.
    case incomplete(done: String, command: String)
    /// libmosquitto refused a message or an option.
    case client(MosquittoError)
    /// The archive or the state database could not be read or written.
    case store(ArchiveStoreError)

    public var description: String {
        switch self {
        case .noBroker(let host, let port):
            "cannot reach the MQTT broker at \(host):\(port); check [mqtt] host and port, and that the broker runs"
        case .incomplete(let done, let command):
            "\(done); run the \(command) again"
        case .client(let error):
            error.description
        case .store(let error):
            error.description
        }
    }
}

/// The broker connection of a one-shot command: the bridge's broker settings under the client
/// id `<client_id>-<suffix>`, without the will (the running bridge's state is not the command's).
enum OneShotBroker {
    /// Connects, waits up to `timeout` for the broker to accept the connection, runs `body` with
    /// the client and the stream of its events (from before the connect on, so nothing is
    /// missed), and disconnects.
    /// - Throws: ``OneShotError/noBroker(host:port:)`` when the broker does not accept in time,
    ///   ``OneShotError/client(_:)`` when libmosquitto refuses the options, or what `body` throws.
    static func withConnection<Value>(
        _ configuration: BridgeConfiguration, suffix: String, timeout: Duration,
        _ body: (MosquittoClient, AsyncStream<MosquittoEvent>) async throws(OneShotError) -> Value
    ) async throws(OneShotError) -> Value {
        var settings = configuration.mosquittoConfiguration
        settings.clientID = configuration.mqtt.clientID + "-" + suffix
        settings.will = nil
        let client: MosquittoClient
        do {
            client = try MosquittoClient(configuration: settings)
        } catch {
            throw .client(error)
        }
        let result: Result<Value, OneShotError>
        do throws(OneShotError) {
            let events = client.events()
            let connecting = client.events()
            do {
                try client.connect()
            } catch {
                throw .client(error)
            }
            let accepted = await withTimeout(timeout) { () async -> Bool? in
                for await event in connecting {
                    if case .connected = event { return true }
                }
                return nil
            }
            guard accepted != nil else { throw .noBroker(host: settings.host, port: settings.port) }
            result = .success(try await body(client, events))
        } catch {
            result = .failure(error)
        }
        await client.disconnect()
        return try result.get()
    }
}

/// A password or key that must never be printed or logged.
///
/// Its `description` (and so string interpolation and logging) is `<redacted>`; the value is
/// only reachable through ``revealed``.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself: hand it to the library that needs it, never to a log.
    public var revealed: String
    /// Where it came from, for messages: `environment variable AURORA_BRIDGE_MQTT_PASSWORD`,
    /// `file /etc/aurora-bridge/mqtt-password`.
    public var source: String

    /// A secret and where it came from.
    public init(_ revealed: String, source: String) {
        self.revealed = revealed
        self.source = source
    }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
}

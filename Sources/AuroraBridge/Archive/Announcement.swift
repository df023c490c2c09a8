/// A retained topic the bridge announced, remembered in the state database so that a later
/// configuration that no longer announces it can clear it (an empty retained message).
public struct Announcement: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// What the topic holds.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A device-based discovery config: `<discovery_prefix>/device/<node>/config`.
        case device
        /// A per-entity discovery config: `<discovery_prefix>/sensor/<node>/<key>/config`.
        case entity
        /// An inverter's retained status or data topic (availability, loop, archive, state, info).
        case status
    }

    /// The retained topic.
    public let topic: String
    /// What it holds.
    public let kind: Kind
    /// Whose it is: the Home Assistant node id for discovery configs, the inverter's name for
    /// status topics.
    public let owner: String

    /// An announcement from its parts.
    public init(topic: String, kind: Kind, owner: String) {
        self.topic = topic
        self.kind = kind
        self.owner = owner
    }

    /// Whether it is a discovery config (either mode).
    public var isDiscovery: Bool { kind != .status }

    /// The sensor key of an entity config (`gridPower` in `…/sensor/aurora_roof/gridPower/config`).
    var entityKey: String? {
        guard kind == .entity else { return nil }
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 2 ? String(parts[parts.count - 2]) : nil
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.topic < rhs.topic }

    public var description: String { "\(kind.rawValue) \(topic) (\(owner))" }
}

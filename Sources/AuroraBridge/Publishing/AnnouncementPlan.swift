/// What to send once connected so that only the current configuration's retained topics remain,
/// following Home Assistant's documented migration between the per-entity and the device-based
/// discovery (see `docs/home-assistant.md`):
///
/// 1. `{"migrate_discovery": true}` (retained) on each old config whose entities the new
///    configuration announces again in the other mode, so Home Assistant unloads them but keeps
///    them (names, areas, history);
/// 2. the new configs;
/// 3. an empty retained message on every topic announced before and not now: the migrated
///    configs, and whatever belonged to a renamed or removed inverter, an excluded field, an
///    older prefix or mode. Discovery configs go first: Home Assistant drops their entities
///    before their state topics are emptied (an empty state would be read as a bad value).
public struct AnnouncementPlan: Sendable, Equatable {
    /// The payload that asks Home Assistant to keep the entities of a config being replaced.
    public static let migratePayload = #"{"migrate_discovery": true}"#

    /// Step 1: the topics that get ``migratePayload``.
    public let migrations: [String]
    /// Step 3: the topics that get an empty retained message: the discovery configs, then the
    /// status topics, each sorted.
    public let clears: [String]

    /// The plan from what was announced before to `current`; `currentKeys` holds, by node id,
    /// the sensor keys the current discovery configs announce.
    public init(previous: [Announcement], current: [Announcement], currentKeys: [String: Set<String>]) {
        let currentTopics = Set(current.map(\.topic))
        let currentMode = Dictionary(current.filter(\.isDiscovery).map { ($0.owner, $0.kind) }, uniquingKeysWith: { first, _ in first })
        let gone = Set(previous.filter { !currentTopics.contains($0.topic) })
        migrations = gone.filter { old in
            guard old.isDiscovery, let mode = currentMode[old.owner], mode != old.kind else { return false }
            guard let key = old.entityKey else { return true }  // a device config: all its entities move
            return currentKeys[old.owner]?.contains(key) ?? false
        }.map(\.topic).sorted()
        clears = gone.filter(\.isDiscovery).map(\.topic).sorted() + gone.filter { !$0.isDiscovery }.map(\.topic).sorted()
    }

    /// Nothing to migrate or clear.
    public var isEmpty: Bool { migrations.isEmpty && clears.isEmpty }
}

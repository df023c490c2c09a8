import CMosquitto

/// One `struct mosquitto *` and the ``EventHub`` its callbacks reach, destroyed together when
/// the last owner lets go: the ``MosquittoClient`` and its ``NetworkLoop`` thread both hold it,
/// so the handle outlives every call the network thread makes, even when the client goes first.
///
/// `@unchecked Sendable`: the pointer never changes, and libmosquitto's calls are safe from
/// several threads once `mosquitto_threaded_set` has told it another thread runs the loop.
final class MosquittoHandle: @unchecked Sendable {
    /// Owned; destroyed in `deinit` only.
    let pointer: OpaquePointer
    /// The callbacks' userdata, kept alive as long as the pointer.
    let hub: EventHub

    init(pointer: OpaquePointer, hub: EventHub) {
        self.pointer = pointer
        self.hub = hub
    }

    deinit { mosquitto_destroy(pointer) }
}

import CMosquitto

/// Process-wide facts about the linked libmosquitto.
public enum MosquittoLibrary {
    /// The version of the linked libmosquitto, e.g. `2.0.11`.
    ///
    /// Wraps `mosquitto_lib_version`.
    public static var version: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        _ = mosquitto_lib_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// Calls `mosquitto_lib_init` the first time it is touched, exactly once per process.
    ///
    /// `mosquitto_lib_init` is the one libmosquitto function that is not thread safe; a global
    /// `static let` is initialised lazily under `swift_once`, so concurrent first uses from
    /// several threads still run it exactly once. `mosquitto_lib_cleanup` is never called: the
    /// library stays initialised until the process exits.
    static let initialized: Void = {
        _ = mosquitto_lib_init()
    }()

    /// Makes sure `mosquitto_lib_init` has run. Cheap after the first call.
    static func ensureInitialized() {
        _ = initialized
    }
}

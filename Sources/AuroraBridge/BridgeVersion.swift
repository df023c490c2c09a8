/// The bridge's version, shown by `--version`, carried in Home Assistant discovery and in the
/// Debian package's name (`make deb` reads it from this file).
public enum BridgeVersion {
    /// The release, e.g. `0.2.0`.
    public static let current = "0.2.0"
}

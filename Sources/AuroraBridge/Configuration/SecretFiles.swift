/// Whether parsing reads the secret files a configuration names (`password_file`, `psk_file`).
public enum SecretFiles: Sendable {
    /// Read them from the file system, as the daemon and `check-config` do.
    case read
    /// Never open them: each named file is reported as not read. For parsing untrusted text
    /// (the fuzz target), where a name such as `/dev/zero` must not be opened.
    case refused

    /// The content of the secret file at `path`, without its trailing line break(s).
    func content(of path: String) throws(TextFile.ReadError) -> String {
        switch self {
        case .read: try TextFile.readSecret(path)
        case .refused: throw TextFile.ReadError(reason: "secret files are not read here")
        }
    }
}

extension BridgeConfiguration {
    /// `[http]`: one small read-only HTTP listener for the status page, the JSON status and the
    /// Prometheus metrics (see `docs/status-page.md`).
    public struct HTTP: Sendable, Equatable {
        /// `enabled`: whether the listener runs; off, the bridge opens no socket and starts no
        /// thread for it.
        public var enabled = false
        /// `listen`: the address and port; loopback by default.
        public var listen = ListenAddress.loopback
        /// `username`: the user name HTTP Basic authentication asks for, with the password.
        public var username: String?
        /// `password_file`: the file the password was read from, if one was named.
        public var passwordFile: String?
        /// The password: the systemd credential `http-password` when present, else the content of
        /// ``passwordFile`` without its trailing line break; nil when neither is given, and then
        /// no authentication is asked for.
        public var password: Secret?
    }
}

extension BridgeConfiguration.HTTP: ConfigSection {
    static let defaults = Self()

    static let entries: [ConfigEntry<Self>] = [
        .init("enabled", \.enabled, .boolean, "Whether the bridge serves the status page, /api/status and /metrics."),
        .init(
            "listen", \.listen, .string(what: "address:port, e.g. \"127.0.0.1:8480\" or \"[::]:8480\""),
            "The address and port to listen on; loopback by default, \"[::]:8480\" or a LAN address exposes the bridge's status to that network."),
        .init(
            "username", \.username, .string(what: "a user name"),
            "The user name of HTTP Basic authentication, required with a password."),
        .init(
            "password_file", \.passwordFile, .string(what: "the path of a file"),
            "A file holding the password; with one (or the systemd credential http-password), every path needs it.",
            secret: true, content: \.password),
    ]

    /// Reads `[http]`, taking the password from the systemd credential or `password_file`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, environment: [String: String]) -> Self {
        reader.checkKeys(
            table,
            special: [
                "password": "passwords are not read from bridge.conf; put the password in a file that only the "
                    + "service can read and name it with password_file, or pass it as the systemd credential "
                    + SystemdCredentials.httpPassword
            ])
        var http = defaults
        reader.read(table, into: &http)
        let credential = SystemdCredentials(environment: environment).path(SystemdCredentials.httpPassword)
        if let path = credential ?? http.passwordFile {
            http.password = reader.password(in: table, key: "password_file", path: path, credential: credential != nil)
        }
        switch (http.username, http.password) {
        case (nil, let password?):
            reader.report(
                table, http.passwordFile == nil ? nil : "password_file",
                "a password is given (\(password.source)) but no username; set username")
        case (.some, nil) where http.passwordFile == nil && credential == nil:
            reader.report(
                table, "username",
                "a username needs a password; set password_file, or pass the systemd credential \(SystemdCredentials.httpPassword)")
        default:
            break
        }
        return http
    }
}

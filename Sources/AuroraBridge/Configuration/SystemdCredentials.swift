import Glibc

/// The secrets systemd hands the service with `LoadCredential=` (a copy readable by the
/// service's user, even with `DynamicUser=yes` and a mode 0600 root file), found in
/// `$CREDENTIALS_DIRECTORY`.
///
/// A credential, when present, takes the place of the file the configuration names:
/// `mqtt-password` of `[mqtt] password_file`, `tls-key` of `[mqtt.tls] key_file`, `tls-psk` of
/// `[mqtt.tls] psk_file` (the environment variable for the password still wins over both),
/// `http-password` of `[http] password_file`.
struct SystemdCredentials: Sendable {
    /// The credential of the MQTT password.
    static let mqttPassword = "mqtt-password"
    /// The credential of the TLS client certificate's private key.
    static let tlsKey = "tls-key"
    /// The credential of the TLS pre-shared key.
    static let tlsPSK = "tls-psk"
    /// The credential of the status page's password.
    static let httpPassword = "http-password"

    /// `$CREDENTIALS_DIRECTORY`, or nil when systemd passed no credentials.
    let directory: String?

    /// The credentials of `environment`.
    init(environment: [String: String]) {
        directory = environment["CREDENTIALS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The path of the credential `name`, if systemd passed it.
    func path(_ name: String) -> String? {
        guard let directory else { return nil }
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        return access(path, F_OK) == 0 ? path : nil
    }
}

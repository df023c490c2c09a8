extension BridgeConfiguration.MQTT {
    /// `[mqtt.tls]`: TLS to the broker, with certificates or with a pre-shared key (not both).
    ///
    /// The table's presence turns TLS on, unless it says `enabled = false`. With certificates and
    /// neither `ca_file` nor `ca_path`, the system's trusted CAs verify the broker.
    public struct TLS: Sendable, Equatable {
        /// `ca_file`: a PEM file of CA certificates that verify the broker.
        public var caFile: String?
        /// `ca_path`: a directory of hashed PEM CA certificates (`c_rehash`).
        public var caPath: String?
        /// `cert_file`: the client certificate (PEM), with `key_file`.
        public var certFile: String?
        /// `key_file`: the client certificate's private key (PEM), with `cert_file`.
        public var keyFile: String?
        /// `insecure`: skip checking the broker's host name against its certificate.
        public var insecure = false
        /// `psk_identity`: the identity for TLS with a pre-shared key, with `psk_file`.
        public var pskIdentity: String?
        /// `psk_file`: the file holding the pre-shared key in hexadecimal.
        public var pskFile: String?
        /// The pre-shared key read from ``pskFile`` (hexadecimal, without the trailing line break).
        public var psk: Secret?
    }
}

extension BridgeConfiguration.MQTT.TLS: ConfigSection {
    static let defaults = Self()

    /// `enabled`: kept as whether ``BridgeConfiguration/MQTT/tls`` is nil, read before the others.
    private static let enabledKey = ConfigKey(
        "enabled", .boolean, default: "true", "Whether TLS is on (the table's presence turns it on).")

    static let entries: [ConfigEntry<Self>] = [
        ConfigEntry(key: enabledKey, read: { _, _, _ in }, show: { _ in ["enabled = true"] }),
        .init("ca_file", \.caFile, .string(what: "the path of a file"), "A PEM file of CA certificates that verify the broker."),
        .init("ca_path", \.caPath, .string(what: "the path of a directory"), "A directory of hashed PEM CA certificates."),
        .init("cert_file", \.certFile, .string(what: "the path of a file"), "The client certificate (PEM), with key_file."),
        .init(
            "key_file", \.keyFile, .string(what: "the path of a file"), "The client certificate's private key (PEM), with cert_file.",
            secret: true),
        .init("insecure", \.insecure, .boolean, "Skip checking the broker's host name against its certificate (testing only)."),
        .init("psk_identity", \.pskIdentity, .string(what: "an identity"), "The identity for TLS with a pre-shared key, with psk_file."),
        .init(
            "psk_file", \.pskFile, .string(what: "the path of a file"), "A file holding the pre-shared key in hexadecimal.",
            secret: true, content: \.psk),
    ]

    /// Reads `[mqtt.tls]`: `nil` when the table is absent or says `enabled = false`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, credentials: SystemdCredentials) -> Self? {
        guard table.isPresent else { return nil }
        reader.checkKeys(table)
        let enabled = Bool.read(enabledKey, in: table, &reader) ?? true
        var tls = defaults
        reader.read(table, into: &tls)
        guard enabled else { return nil }
        // systemd credentials stand in for the files named (see SystemdCredentials).
        if tls.certFile != nil, let key = credentials.path(SystemdCredentials.tlsKey) { tls.keyFile = key }
        if tls.pskIdentity != nil, let psk = credentials.path(SystemdCredentials.tlsPSK) { tls.pskFile = psk }

        switch (tls.certFile, tls.keyFile) {
        case (.some, nil):
            reader.report(table, "cert_file", "a client certificate needs its private key; set key_file too")
        case (nil, .some):
            reader.report(table, "key_file", "a private key needs its client certificate; set cert_file too")
        default: break
        }
        switch (tls.pskIdentity, tls.pskFile) {
        case (.some, nil):
            reader.report(table, "psk_identity", "a pre-shared key identity needs the key; set psk_file too")
        case (nil, .some):
            reader.report(table, "psk_file", "a pre-shared key needs its identity; set psk_identity too")
        default: break
        }
        let certificateKeys = [("ca_file", tls.caFile), ("ca_path", tls.caPath), ("cert_file", tls.certFile),
                               ("key_file", tls.keyFile)].filter { $0.1 != nil }.map(\.0)
        if tls.pskIdentity != nil || tls.pskFile != nil, !certificateKeys.isEmpty {
            reader.report(
                table, tls.pskIdentity != nil ? "psk_identity" : "psk_file",
                "a pre-shared key and certificates (\(certificateKeys.joined(separator: ", "))) cannot be "
                    + "used together; keep psk_identity and psk_file, or the certificate keys")
        }
        if let path = tls.pskFile {
            do throws(TextFile.ReadError) {
                let key = try reader.secretFiles.content(of: path)
                if key.isEmpty || !key.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit) {
                    reader.report(
                        table, "psk_file", "\(TOMLText.quoted(path)) must hold the key in hexadecimal (e.g. 1a2b3c4d)")
                } else {
                    tls.psk = Secret(key, source: "file \(path)")
                }
            } catch {
                reader.report(table, "psk_file", "cannot read \(TOMLText.quoted(path)): \(error.reason)")
            }
        }
        return tls
    }
}

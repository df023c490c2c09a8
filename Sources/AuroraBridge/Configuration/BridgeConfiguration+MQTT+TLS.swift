extension BridgeConfiguration.MQTT {
    /// `[mqtt.tls]`: TLS to the broker, with certificates or with a pre-shared key (not both).
    ///
    /// The table's presence turns TLS on, unless it says `enabled = false`. With certificates and
    /// neither `ca_file` nor `ca_path`, the system's trusted CAs verify the broker.
    public struct TLS: Sendable, Equatable {
        /// `ca_file`: a PEM file of CA certificates that verify the broker. Default none.
        public var caFile: String?
        /// `ca_path`: a directory of hashed PEM CA certificates (`c_rehash`). Default none.
        public var caPath: String?
        /// `cert_file`: the client certificate (PEM), with `key_file`. Default none.
        public var certFile: String?
        /// `key_file`: the client certificate's private key (PEM), with `cert_file`. Default none.
        public var keyFile: String?
        /// `insecure`: skip checking the broker's host name against its certificate. Default false.
        public var insecure: Bool
        /// `psk_identity`: the identity for TLS with a pre-shared key, with `psk_file`. Default none.
        public var pskIdentity: String?
        /// `psk_file`: the file holding the pre-shared key in hexadecimal. Default none.
        public var pskFile: String?
        /// The pre-shared key read from ``pskFile`` (hexadecimal, without the trailing line break).
        public var psk: Secret?

        /// TLS settings; every parameter defaults to "not set" (and `insecure` to false).
        public init(
            caFile: String? = nil, caPath: String? = nil, certFile: String? = nil, keyFile: String? = nil,
            insecure: Bool = false, pskIdentity: String? = nil, pskFile: String? = nil, psk: Secret? = nil
        ) {
            self.caFile = caFile
            self.caPath = caPath
            self.certFile = certFile
            self.keyFile = keyFile
            self.insecure = insecure
            self.pskIdentity = pskIdentity
            self.pskFile = pskFile
            self.psk = psk
        }
    }
}

extension BridgeConfiguration.MQTT.TLS {
    /// Reads `[mqtt.tls]`: `nil` when the table is absent or says `enabled = false`.
    static func read(_ table: ConfigTable, _ reader: inout ConfigReader, credentials: SystemdCredentials) -> Self? {
        guard table.isPresent else { return nil }
        reader.checkKeys(table)
        let enabled = reader.bool(table, "enabled") ?? true
        var tls = Self()
        tls.caFile = reader.string(table, "ca_file")
        tls.caPath = reader.string(table, "ca_path")
        tls.certFile = reader.string(table, "cert_file")
        tls.keyFile = reader.string(table, "key_file")
        tls.insecure = reader.bool(table, "insecure") ?? false
        tls.pskIdentity = reader.string(table, "psk_identity")
        tls.pskFile = reader.string(table, "psk_file")
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

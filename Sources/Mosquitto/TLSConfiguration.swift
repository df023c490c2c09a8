/// How the client secures its connection: certificates (server verified against a CA, optional
/// client certificate) or a pre-shared key. The two are exclusive in libmosquitto.
public struct TLSConfiguration: Sendable, Hashable {
    /// Where the CA certificates that sign the broker's certificate come from.
    public enum Trust: Sendable, Hashable {
        /// A PEM file with one or more CA certificates (`cafile`).
        case caFile(String)
        /// A directory of PEM CA certificates prepared with `openssl rehash` (`capath`).
        case caDirectory(String)
    }

    /// A client certificate and its private key, both PEM files. The key must not be encrypted.
    public struct ClientCertificate: Sendable, Hashable {
        /// Path of the PEM client certificate.
        public var certificateFile: String
        /// Path of the PEM private key (unencrypted).
        public var keyFile: String

        /// Creates a client certificate reference.
        public init(certificateFile: String, keyFile: String) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// A TLS protocol version to insist on.
    public enum Version: String, Sendable, Hashable {
        /// TLS 1.2 (`tlsv1.2`).
        case tls1_2 = "tlsv1.2"
        /// TLS 1.3 (`tlsv1.3`).
        case tls1_3 = "tlsv1.3"
    }

    /// A TLS-PSK identity and key.
    public struct PreSharedKey: Sendable, Hashable {
        /// The identity sent to the broker.
        public var identity: String
        /// The key in hexadecimal, without a leading `0x`.
        public var hexKey: String

        /// Creates a PSK.
        public init(identity: String, hexKey: String) {
            self.identity = identity
            self.hexKey = hexKey
        }
    }

    enum Mode: Sendable, Hashable {
        case certificates(trust: Trust, client: ClientCertificate?, insecure: Bool)
        case preSharedKey(PreSharedKey)
    }

    let mode: Mode
    /// The TLS version to use; `nil` lets libmosquitto and OpenSSL choose.
    public var version: Version?
    /// An OpenSSL cipher list; `nil` for the default.
    public var ciphers: String?

    /// Verifies the broker's certificate against `trust`, optionally presenting a client
    /// certificate.
    ///
    /// Wraps `mosquitto_tls_set`, `mosquitto_tls_opts_set` and `mosquitto_tls_insecure_set`.
    /// - Parameters:
    ///   - trust: the CA file or directory.
    ///   - client: a client certificate for brokers that require one.
    ///   - insecure: skip checking that the certificate names the host connected to. The chain
    ///     is still verified. For tests only: it allows a man in the middle.
    ///   - version: the TLS version to insist on.
    ///   - ciphers: an OpenSSL cipher list.
    public static func certificates(
        trust: Trust,
        client: ClientCertificate? = nil,
        insecure: Bool = false,
        version: Version? = nil,
        ciphers: String? = nil
    ) -> TLSConfiguration {
        TLSConfiguration(mode: .certificates(trust: trust, client: client, insecure: insecure), version: version, ciphers: ciphers)
    }

    /// Authenticates both sides with a pre-shared key instead of certificates.
    ///
    /// Wraps `mosquitto_tls_psk_set` (and `mosquitto_tls_opts_set` for `version`).
    public static func preSharedKey(_ key: PreSharedKey, version: Version? = nil, ciphers: String? = nil) -> TLSConfiguration {
        TLSConfiguration(mode: .preSharedKey(key), version: version, ciphers: ciphers)
    }
}

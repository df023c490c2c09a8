import CMosquitto

extension MosquittoClient {
    /// Applies every option before the first connect (libmosquitto reads them at connect time).
    static func apply(_ configuration: MosquittoConfiguration, to pointer: OpaquePointer) throws(MosquittoError) {
        try MosquittoError.check(
            mosquitto_int_option(pointer, MOSQ_OPT_PROTOCOL_VERSION, configuration.protocolVersion.cValue),
            "set protocol version \(configuration.protocolVersion)"
        )
        if let credentials = configuration.credentials {
            try MosquittoError.check(
                mosquitto_username_pw_set(pointer, credentials.username, credentials.password),
                "set credentials for \(credentials)"
            )
        }
        if let will = configuration.will {
            let result = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set(pointer, will.topic, Int32(clamping: bytes.count), bytes.baseAddress, will.qos.cValue, will.retain)
            }
            try MosquittoError.check(result, "set the will on \"\(will.topic)\"")
        }
        if let tls = configuration.tls {
            try apply(tls, to: pointer)
        }
        if let inflight = configuration.maxInflightMessages {
            try MosquittoError.check(
                mosquitto_max_inflight_messages_set(pointer, UInt32(clamping: max(inflight, 0))),
                "set max in-flight messages"
            )
        }
    }

    private static func apply(_ tls: TLSConfiguration, to pointer: OpaquePointer) throws(MosquittoError) {
        switch tls.mode {
        case .certificates(let trust, let client, let insecure):
            var caFile: String?
            var caDirectory: String?
            switch trust {
            case .caFile(let path): caFile = path
            case .caDirectory(let path): caDirectory = path
            }
            // A nil password callback: the key must not be encrypted.
            try MosquittoError.check(
                mosquitto_tls_set(pointer, caFile, caDirectory, client?.certificateFile, client?.keyFile, nil),
                "configure TLS (CA \(caFile ?? caDirectory ?? "-"), client certificate \(client?.certificateFile ?? "none"))"
            )
            try MosquittoError.check(mosquitto_tls_insecure_set(pointer, insecure), "set TLS insecure mode")
            if tls.version != nil || tls.ciphers != nil {
                // 1 = SSL_VERIFY_PEER: always verify the broker's certificate.
                try MosquittoError.check(
                    mosquitto_tls_opts_set(pointer, 1, tls.version?.rawValue, tls.ciphers),
                    "set TLS version \(tls.version?.rawValue ?? "default") and ciphers"
                )
            }
        case .preSharedKey(let key):
            try MosquittoError.check(
                mosquitto_tls_psk_set(pointer, key.hexKey, key.identity, tls.ciphers),
                "configure TLS-PSK for identity \(key.identity)"
            )
            if let version = tls.version {
                try MosquittoError.check(mosquitto_tls_opts_set(pointer, 1, version.rawValue, tls.ciphers), "set TLS version \(version.rawValue)")
            }
        }
    }
}

import Foundation

/// A throw-away certificate authority with a server certificate for 127.0.0.1/localhost and a
/// client certificate, made with the `openssl` command-line tool. All files are PEM, keys
/// unencrypted.
public struct TestCertificates: Sendable {
    /// The CA certificate (trust anchor for both sides).
    public let caFile: String
    /// The broker's certificate (subjectAltName IP:127.0.0.1, DNS:localhost).
    public let serverCertificateFile: String
    /// The broker's private key.
    public let serverKeyFile: String
    /// A client certificate signed by the same CA (CN `aurora-test-client`).
    public let clientCertificateFile: String
    /// The client's private key.
    public let clientKeyFile: String

    /// The `openssl` executable, or `nil` if it is not installed (tests should then skip TLS).
    public static var openssl: String? { ExternalTool.find("openssl") }

    /// Generates the CA and both certificates into `directory` (valid for one day).
    /// - Throws: ``ExternalTool/Failure`` if openssl is missing or fails.
    public static func generate(in directory: URL) async throws -> TestCertificates {
        guard let openssl else {
            throw ExternalTool.Failure(command: "openssl", status: -1, output: "openssl is not installed")
        }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        try await ExternalTool.run(openssl, [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=Aurora Test CA", "-keyout", path("ca.key"), "-out", path("ca.crt"),
        ])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            .write(toFile: path("server.ext"), atomically: true, encoding: .utf8)
        for (name, subject, extensions) in [
            ("server", "/CN=localhost", ["-extfile", path("server.ext")]),
            ("client", "/CN=aurora-test-client", []),
        ] {
            try await ExternalTool.run(openssl, [
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                "-keyout", path("\(name).key"), "-out", path("\(name).csr"),
            ])
            try await ExternalTool.run(openssl, [
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "1", "-out", path("\(name).crt"),
            ] + extensions)
        }
        return TestCertificates(
            caFile: path("ca.crt"),
            serverCertificateFile: path("server.crt"), serverKeyFile: path("server.key"),
            clientCertificateFile: path("client.crt"), clientKeyFile: path("client.key")
        )
    }
}

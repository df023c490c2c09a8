import Foundation
import Testing

@testable import AuroraBridge

/// What systemd passes in the environment: credentials (`LoadCredential=`) and the state
/// directory (`StateDirectory=`).
struct SystemdEnvironmentTests {
    @Test func theMQTTPasswordIsReadFromTheCredentialsDirectory() throws {
        try withTemporaryDirectory { directory in
            try "from-credential\n".write(to: directory.appendingPathComponent("mqtt-password"), atomically: true, encoding: .utf8)
            let passwordFile = directory.appendingPathComponent("root-only").path
            try "from-file\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
            let text = minimalConfig + "[mqtt]\nusername = \"aurora\"\npassword_file = \"\(passwordFile)\"\n"
            let environment = ["CREDENTIALS_DIRECTORY": directory.path]

            let configuration = try parse(text, environment: environment)
            let credential = directory.appendingPathComponent("mqtt-password").path
            #expect(configuration.mqtt.password == Secret("from-credential", source: "systemd credential \(credential)"))

            // Without password_file too; and the environment variable still wins.
            let bare = try parse(minimalConfig + "[mqtt]\nusername = \"aurora\"\n", environment: environment)
            #expect(bare.mqtt.password?.revealed == "from-credential")
            let variable = try parse(text, environment: environment.merging([BridgeConfiguration.passwordVariable: "from-env"]) { $1 })
            #expect(variable.mqtt.password?.revealed == "from-env")
        }
    }

    @Test func withoutTheCredentialThePasswordFileIsUsed() throws {
        try withTemporaryDirectory { directory in
            let passwordFile = directory.appendingPathComponent("password").path
            try "from-file\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
            let text = minimalConfig + "[mqtt]\nusername = \"aurora\"\npassword_file = \"\(passwordFile)\"\n"
            let configuration = try parse(text, environment: ["CREDENTIALS_DIRECTORY": directory.appendingPathComponent("empty").path])
            #expect(configuration.mqtt.password?.revealed == "from-file")
        }
    }

    @Test func theTLSKeyAndPreSharedKeyComeFromCredentials() throws {
        try withTemporaryDirectory { directory in
            try "KEY".write(to: directory.appendingPathComponent("tls-key"), atomically: true, encoding: .utf8)
            try "a1b2c3\n".write(to: directory.appendingPathComponent("tls-psk"), atomically: true, encoding: .utf8)
            let environment = ["CREDENTIALS_DIRECTORY": directory.path]
            let certificate = minimalConfig + "[mqtt.tls]\ncert_file = \"/etc/aurora-bridge/client.crt\"\nkey_file = \"/etc/aurora-bridge/client.key\"\n"
            #expect(try parse(certificate, environment: environment).mqtt.tls?.keyFile == directory.appendingPathComponent("tls-key").path)
            let psk = minimalConfig + "[mqtt.tls]\npsk_identity = \"bridge\"\npsk_file = \"/etc/aurora-bridge/psk\"\n"
            #expect(try parse(psk, environment: environment).mqtt.tls?.psk?.revealed == "a1b2c3")
        }
    }

    @Test func theArchiveGoesInTheStateDirectoryUnlessTheFileNamesOne() throws {
        let environment = ["STATE_DIRECTORY": "/var/lib/aurora-bridge/roof:/var/lib/other"]
        #expect(try parse(minimalConfig, environment: environment).archive.database == "/var/lib/aurora-bridge/roof/archive.sqlite")
        #expect(try parse(minimalConfig).archive.database == "/var/lib/aurora-bridge/archive.sqlite")
        let named = minimalConfig + "[archive]\ndatabase = \"/mnt/solar/archive.sqlite\"\n"
        #expect(try parse(named, environment: environment).archive.database == "/mnt/solar/archive.sqlite")
    }
}

import Foundation
import Testing

@testable import AuroraBridge

/// `[http]`: the status server's keys, their bounds and messages, and its password.
struct HTTPConfigurationTests {
    @Test func offOnLoopbackByDefault() throws {
        let http = try parse(minimalConfig).http
        #expect(!http.enabled)
        #expect(http.listen.description == "127.0.0.1:8480")
        #expect(http.username == nil && http.password == nil)
    }

    @Test(arguments: [
        ("127.0.0.1:8480", "127.0.0.1", 8480), ("[::]:9000", "::", 9000), ("192.168.1.5:80", "192.168.1.5", 80),
        ("0.0.0.0:65535", "0.0.0.0", 65535), ("[::1]:1", "::1", 1),
    ])
    func listenTakesAnAddressAndAPort(text: String, host: String, port: Int) throws {
        let http = try parse(minimalConfig + "[http]\nenabled = true\nlisten = \"\(text)\"\n").http
        #expect(http.listen.host == host && http.listen.port == port)
        #expect(http.listen.description == text)
    }

    @Test(arguments: [
        ("localhost:8480", "\"localhost\" is not an IPv4 address; write an address, not a host name (e.g. \"0.0.0.0:8480\" for every interface)"),
        ("127.0.0.1", "the port is missing; write address:port, e.g. \"127.0.0.1:8480\""),
        ("127.0.0.1:0", "the port must be an integer from 1 to 65535, got \"0\""),
        ("127.0.0.1:65536", "the port must be an integer from 1 to 65535, got \"65536\""),
        ("127.0.0.1:http", "the port must be an integer from 1 to 65535, got \"http\""),
        ("::1:8480", "an IPv6 address goes in brackets before the port, e.g. \"[::]:8480\""),
        ("[::1]8480", "an IPv6 address goes in brackets before the port, e.g. \"[::]:8480\""),
        ("[fe80::zz]:8480", "\"fe80::zz\" is not an IPv6 address"),
        ("300.1.1.1:8480", "\"300.1.1.1\" is not an IPv4 address; write an address, not a host name (e.g. \"0.0.0.0:8480\" for every interface)"),
    ])
    func aWrongListenSaysHowToWriteIt(text: String, reason: String) {
        #expect(problem(minimalConfig + "[http]\nlisten = \"\(text)\"\n") == "bridge.conf:8: [http] listen: \(reason)")
    }

    @Test func wrongTypesAndUnknownKeysAreRefusedLikeAnyOther() {
        #expect(problem(minimalConfig + "[http]\nenabled = \"yes\"\n") == "bridge.conf:8: [http] enabled: expected true or false, got \"yes\"")
        #expect(problem(minimalConfig + "[http]\nlisten = 8480\n").hasPrefix("bridge.conf:8: [http] listen: expected address:port"))
        #expect(problem(minimalConfig + "[http]\nlisen = \"127.0.0.1:1\"\n") == "bridge.conf:8: [http] lisen: unknown key; did you mean \"listen\"?")
        #expect(problem(minimalConfig + "[http]\npassword = \"x\"\n").contains("passwords are not read from bridge.conf"))
    }

    @Test func thePasswordComesFromItsFileOrTheSystemdCredential() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("http-file").path
            try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
            let text = minimalConfig + "[http]\nenabled = true\nusername = \"aurora\"\npassword_file = \"\(file)\"\n"
            #expect(try parse(text).http.password == Secret("from-file", source: "file \(file)"))

            let credentials = directory.appendingPathComponent("credentials")
            try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
            let credential = credentials.appendingPathComponent("http-password").path
            try "from-credential\n".write(toFile: credential, atomically: true, encoding: .utf8)
            let environment = ["CREDENTIALS_DIRECTORY": credentials.path]
            #expect(try parse(text, environment: environment).http.password?.revealed == "from-credential")
            let bare = try parse(minimalConfig + "[http]\nusername = \"aurora\"\n", environment: environment)
            #expect(bare.http.password == Secret("from-credential", source: "systemd credential \(credential)"))
            // The MQTT password's credential is another file.
            #expect(bare.mqtt.password == nil)
        }
    }

    @Test func aPasswordNeedsAUserNameAndAUserNameAPassword() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("password").path
            try "secret\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(
                problem(minimalConfig + "[http]\npassword_file = \"\(file)\"\n")
                    == "bridge.conf:8: [http] password_file: a password is given (file \(file)) but no username; set username")
            #expect(
                problem(minimalConfig + "[http]\nusername = \"aurora\"\n")
                    == "bridge.conf:8: [http] username: a username needs a password; set password_file, or pass the systemd credential http-password")
            let empty = directory.appendingPathComponent("empty").path
            try "\n".write(toFile: empty, atomically: true, encoding: .utf8)
            #expect(
                problem(minimalConfig + "[http]\nusername = \"aurora\"\npassword_file = \"\(empty)\"\n")
                    == "bridge.conf:9: [http] password_file: \"\(empty)\" is empty; it must hold the password")
            #expect(
                problem(minimalConfig + "[http]\nusername = \"aurora\"\npassword_file = \"/nonexistent/pw\"\n")
                    == "bridge.conf:9: [http] password_file: cannot read \"/nonexistent/pw\": no such file")
        }
    }

    @Test func theEffectiveConfigurationRedactsThePassword() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("password").path
            try "hunter2\n".write(toFile: file, atomically: true, encoding: .utf8)
            let configuration = try parse(minimalConfig + "[http]\nenabled = true\nusername = \"aurora\"\npassword_file = \"\(file)\"\n")
            let rendered = configuration.effectiveTOML
            #expect(!rendered.contains("hunter2"))
            #expect(rendered.contains("[http]\nenabled = true\nlisten = \"127.0.0.1:8480\"\nusername = \"aurora\"\npassword_file = "))
            #expect(try parse(rendered) == configuration)
        }
    }
}

import Foundation
import Testing

@testable import AuroraBridge

/// The smallest valid configuration: a bus port and one inverter.
let minimalConfig = """
    [bus]
    port = "/dev/ttyUSB0"

    [[inverter]]
    name = "inverter"
    address = 2

    """

/// Parses `text` as `bridge.conf` with an empty environment.
func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigurationError) -> BridgeConfiguration {
    try BridgeConfiguration.parse(text, file: "bridge.conf", environment: environment)
}

/// The problems `text` has; records a test failure when it parses.
func problems(
    _ text: String, environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
) -> [ConfigurationError.Problem] {
    do {
        let configuration = try parse(text, environment: environment)
        Issue.record("expected an error, parsed \(configuration)", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.problems
    }
}

/// The single problem `text` has, as a line of text; records a failure when there are none or several.
func problem(
    _ text: String, environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    let found = problems(text, environment: environment, sourceLocation: sourceLocation)
    #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
    return found.first?.description ?? ""
}

/// A temporary directory, removed after `body`.
func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("aurora-bridge-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

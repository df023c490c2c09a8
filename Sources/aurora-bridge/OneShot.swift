import ArgumentParser
import AuroraLink
import Foundation

/// Runs a one-shot inverter command, turning link failures into a message on standard error
/// and the sysexits code 69 (EX_UNAVAILABLE).
func withInverter(_ options: LinkOptions, _ body: (Inverter) async throws -> Void) async throws {
    do {
        try await body(try await options.connect())
    } catch let error as LinkError {
        FileHandle.standardError.write(Data("aurora-bridge: \(error)\n".utf8))
        throw ExitCode(69)
    }
}

import AuroraLink
import AuroraProtocol
import AuroraSimulator
import AuroraTestSupport
import Foundation
import Testing

/// Links to simulated buses with test-sized timeouts, and the comparison of a poll with what the
/// simulator serves.
enum LinkFixtures {
    /// The read timeout of tests that expect every reply: generous, since it is only waited out
    /// when a reply is missing (tests of silence and drops choose short ones).
    static let readTimeout: Duration = .seconds(1)

    /// The port clients of `bus` open: its pseudo-terminal link or `tcp://127.0.0.1:PORT`.
    static func port(of bus: SimulatedBus) -> PortAddress {
        if let path = bus.linkPath { return .serial(path: path) }
        return .tcp(host: "127.0.0.1", port: bus.port ?? 0)
    }

    /// A link to `bus` with short timeouts and a short reopen back-off; `learnsReplyTimeout`
    /// false waits the whole read timeout on every try (for exact counts of timeouts: a learned
    /// one may also expire on a reply that a loaded machine delivers late).
    static func link(
        to bus: SimulatedBus, readTimeout: Duration = readTimeout, tries: Int = 3,
        commandDelay: Duration = .zero, reopenBackoff: Duration = .milliseconds(50), learnsReplyTimeout: Bool = true
    ) -> Link {
        Link(configuration: LinkConfiguration(
            port: port(of: bus), readTimeout: readTimeout, commandDelay: commandDelay, maxTries: tries,
            reopenBackoffMin: reopenBackoff, reopenBackoffMax: reopenBackoff * 4, learnsReplyTimeout: learnsReplyTimeout
        ))
    }

    /// Checks that `poll` holds exactly what the simulator reports in `expected`: every measure bit
    /// for bit, every energy counter, the clock converted with `clock`, and no failures.
    static func expect(
        _ poll: InverterSnapshot, equals expected: ModelSnapshot, clock: InverterClock,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(poll.address == expected.address, sourceLocation: sourceLocation)
        #expect(poll.failures.isEmpty, "failures: \(poll.failures)", sourceLocation: sourceLocation)
        #expect(Set(poll.measures.keys) == Set(expected.measures.keys), sourceLocation: sourceLocation)
        for (type, value) in expected.measures {
            #expect(
                poll.measures[type]?.bitPattern == value.bitPattern,
                "\(type): read \(poll.measures[type].map(String.init(describing:)) ?? "nothing"), served \(value)",
                sourceLocation: sourceLocation
            )
        }
        #expect(poll.energy == expected.energy, sourceLocation: sourceLocation)
        #expect(poll.inverterTime == clock.unixTime(fromInverter: expected.inverterSeconds), sourceLocation: sourceLocation)
        #expect(poll.globalState == expected.status.global, sourceLocation: sourceLocation)
    }
}

extension LinkError {
    /// Whether this is ``LinkError/noReply(_:tries:timeout:)``.
    var isNoReply: Bool {
        if case .noReply = self { return true }
        return false
    }

    /// Whether this is ``LinkError/deviceUnavailable(_:reason:)``.
    var isDeviceUnavailable: Bool {
        if case .deviceUnavailable = self { return true }
        return false
    }
}

/// The error `body` throws, or nil if it returns.
func linkError<T>(_ body: () async throws(LinkError) -> T) async -> LinkError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

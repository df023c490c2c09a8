#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the simulator could not be configured or could not serve. Every message says what to do.
public enum SimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A model, fault or command-line setting is out of range.
    case invalidSetting(String)
    /// The path where the pseudo-terminal should appear exists and is not a symbolic link.
    case linkPathOccupied(String)
    /// A system call failed while setting up a pseudo-terminal, a socket or a thread.
    case systemCall(String, errno: Int32)
    /// A host name for the TCP server could not be resolved to an address.
    case unresolvableHost(String)
    /// A start time could not be read.
    case invalidTime(String)
    /// The server was stopped and cannot be used again.
    case stopped

    /// A short human-readable description.

    /// A short human-readable description.
    public var description: String {
        switch self {
        case .invalidSetting(let message):
            "invalid simulator setting: \(message)"
        case .linkPathOccupied(let path):
            "\(path) exists and is not a symbolic link; remove it or choose another link path"
        case .systemCall(let call, let code):
            "\(call) failed: \(String(cString: strerror(code))) (errno \(code)); check the system's limits and permissions"
        case .unresolvableHost(let host):
            "cannot resolve \(host) to a local address; use an IP address such as 127.0.0.1"
        case .invalidTime(let text):
            "cannot read the time \"\(text)\"; use Unix seconds or ISO 8601 such as 2026-06-21T05:30:00 (local) or 2026-06-21T05:30:00Z"
        case .stopped:
            "the simulator server was stopped; create a new one"
        }
    }
}

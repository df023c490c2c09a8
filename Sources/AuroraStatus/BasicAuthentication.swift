#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AuroraBridge

/// HTTP Basic authentication against the one configured user name and password, compared in
/// constant time.
struct BasicAuthentication: Sendable {
    /// `user:password` as the client sends it, base64 decoded.
    private let expected: [UInt8]

    /// The credentials `username` and `password`.
    init(username: String, password: Secret) {
        expected = Array("\(username):\(password.revealed)".utf8)
    }

    /// The challenge of a 401 answer.
    static let challenge = "Basic realm=\"aurora-bridge\", charset=\"UTF-8\""

    /// Whether the `Authorization` header value carries the configured user name and password.
    func accepts(_ authorization: String?) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1].filter { !$0.isWhitespace }))
        else { return false }
        return Self.constantTimeEquals(Array(decoded), expected)
    }

    /// Whether `given` equals `expected`, in a time that depends only on `expected`'s length:
    /// no early exit at the first differing byte.
    static func constantTimeEquals(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        for index in expected.indices {
            difference |= expected[index] ^ (index < given.count ? given[index] : ~expected[index])
        }
        return difference == 0
    }
}

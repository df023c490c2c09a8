/// A user name and optional password sent in CONNECT.
public struct Credentials: Sendable, Hashable {
    /// The user name.
    public var username: String
    /// The password, if any.
    public var password: String?

    /// Creates credentials.
    public init(username: String, password: String? = nil) {
        self.username = username
        self.password = password
    }
}

extension Credentials: CustomStringConvertible {
    /// Names the user, never the password.
    public var description: String { "user \(username)\(password == nil ? "" : " (with password)")" }
}

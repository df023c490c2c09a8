/// Writing TOML literals by hand, for the effective configuration and for messages.
enum TOMLText {
    /// A TOML basic string: `"…"` with `\`, `"` and control characters escaped (TOML's basic
    /// strings take the same escapes as JSON's).
    static func quoted(_ text: String) -> String { JSONObject.quoted(text) }

    /// A key, bare when it can be (`gridPower`), quoted otherwise.
    static func key(_ name: String) -> String {
        let bare = !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || scalar == "_" || scalar == "-"
        }
        return bare ? name : quoted(name)
    }

    /// A number of seconds: `60`, `0.5`.
    static func seconds(_ duration: Duration) -> String {
        let microseconds = duration.microseconds
        if microseconds % 1_000_000 == 0 { return String(microseconds / 1_000_000) }
        return String(Double(microseconds) / 1_000_000)
    }

    /// An array of strings on one line: `["a", "b"]`.
    static func array(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }
}

/// Writing TOML literals by hand, for the effective configuration and for messages.
enum TOMLText {
    /// A TOML basic string: `"…"` with `\`, `"` and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

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

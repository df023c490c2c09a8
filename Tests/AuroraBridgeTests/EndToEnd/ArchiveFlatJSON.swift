import Foundation

/// A flat JSON object as the bridge publishes it (loop and archive payloads, export lines), each
/// value kept as its exact text, so that tests compare numbers digit for digit and read floats
/// back as `Float` without a detour through `Double`.
///
/// Only what the bridge writes is understood: one object whose values are numbers, `null`,
/// `true`/`false` or strings (a string's value is its unescaped text). The text must also be
/// valid JSON to `JSONSerialization`.
struct FlatJSON: CustomStringConvertible {
    /// The text could not be read as a flat JSON object.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The members in their order: key and value text.
    let entries: [(key: String, value: String)]
    /// The text parsed.
    let description: String

    /// Parses `text`.
    /// - Throws: ``Malformed`` if it is not a flat JSON object.
    init(_ text: String) throws {
        guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any] else {
            throw Malformed(description: "not a JSON object: \(text)")
        }
        description = text
        var scanner = Scanner(Array(text.unicodeScalars))
        try scanner.expect("{")
        var entries: [(key: String, value: String)] = []
        if scanner.peek() != "}" {
            repeat {
                let key = try scanner.string()
                try scanner.expect(":")
                let value = scanner.peek() == "\"" ? try scanner.string() : scanner.bare()
                entries.append((key, value))
            } while scanner.accept(",")
        }
        try scanner.expect("}")
        self.entries = entries
    }

    /// The keys in order.
    var keys: [String] { entries.map(\.key) }

    /// The text of `key`'s value, if present.
    subscript(key: String) -> String? {
        entries.first { $0.key == key }?.value
    }

    /// `key`'s value as an integer, if present and integral.
    func integer(_ key: String) -> Int64? {
        self[key].flatMap { Int64($0) }
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        mutating func skipSpace() {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        }

        mutating func peek() -> Unicode.Scalar? {
            skipSpace()
            return index < scalars.count ? scalars[index] : nil
        }

        mutating func accept(_ scalar: Unicode.Scalar) -> Bool {
            guard peek() == scalar else { return false }
            index += 1
            return true
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws {
            guard accept(scalar) else { throw Malformed(description: "expected \(scalar) at \(index)") }
        }

        /// A string literal, unescaped (simple escapes only; the bridge writes no others in keys).
        mutating func string() throws -> String {
            try expect("\"")
            var text = String.UnicodeScalarView()
            while index < scalars.count, scalars[index] != "\"" {
                if scalars[index] == "\\", index + 1 < scalars.count {
                    index += 1
                    switch scalars[index] {
                    case "n": text.append("\n")
                    case "r": text.append("\r")
                    case "t": text.append("\t")
                    default: text.append(scalars[index])
                    }
                } else {
                    text.append(scalars[index])
                }
                index += 1
            }
            try expect("\"")
            return String(text)
        }

        /// A number, `null`, `true` or `false`, as written.
        mutating func bare() -> String {
            skipSpace()
            let start = index
            while index < scalars.count, scalars[index] != ",", scalars[index] != "}",
                !scalars[index].properties.isWhitespace
            {
                index += 1
            }
            return String(String.UnicodeScalarView(scalars[start..<index]))
        }
    }
}

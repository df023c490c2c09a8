/// Finds the line of each table and key in TOML source text, which TOMLKit does not report.
///
/// A path is a list of keys from the root; an element of an array (of tables, or an inline
/// array) is named by its 0-based index, so the second `[[inverter]]`'s `name` is
/// `["inverter", "1", "name"]`. Dotted keys and inline tables record every level. It runs
/// before TOMLKit, on any text: on anything unexpected the scanner moves on, and it stops at
/// text that TOMLKit must not see (``refusal``): nesting deeper than ``maximumDepth``, a
/// table header that does not start with a key, and a `}` where an array expects a value
/// (toml++ asserts that neither happens: a debug build aborts, a release build has undefined
/// behaviour).
///
/// It also finds the strings and quoted keys that hold an escaped NUL (`\u0000`): TOMLKit hands
/// strings over as C strings, cut short at the NUL, so only the source text shows them.
struct KeyLocator {
    /// The deepest nesting of tables, arrays and inline tables a configuration may have.
    static let maximumDepth = 64
    /// Why the text must not be handed to TOMLKit, and where; the scan stopped there.
    private(set) var refusal: (line: Int, message: String)?

    private var lines: [[String]: Int] = [:]
    /// The paths of strings and quoted keys that contain `\u0000` or `\U00000000`, with their lines.
    private(set) var escapedNULs: [(path: [String], line: Int)] = []

    /// Scans `source`.
    init(source: String) {
        var scanner = Scanner(characters: Array(source.unicodeScalars))
        scanner.scanDocument()
        lines = scanner.lines
        escapedNULs = scanner.escapedNULs
        refusal = scanner.refusal
    }

    /// The line where `path` is first defined, if it appears in the text.
    func line(of path: [String]) -> Int? {
        lines[path]
    }

    private struct Scanner {
        let characters: [Unicode.Scalar]
        var index = 0
        var line = 1
        var lines: [[String]: Int] = [:]
        var escapedNULs: [(path: [String], line: Int)] = []
        var refusal: (line: Int, message: String)?
        var arrayTableCounts: [[String]: Int] = [:]

        init(characters: [Unicode.Scalar]) {
            self.characters = characters
        }

        var current: Unicode.Scalar? { index < characters.count ? characters[index] : nil }

        func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        mutating func advance() {
            if current == "\n" { line += 1 }
            index += 1
        }

        mutating func record(_ path: [String]) {
            guard path.count <= KeyLocator.maximumDepth else { return stop(Self.tooDeep) }
            guard !path.isEmpty else { return }
            for end in 1...path.count {
                let prefix = Array(path[..<end])
                if lines[prefix] == nil { lines[prefix] = line }
            }
        }

        mutating func scanDocument() {
            var table: [String] = []
            while current != nil {
                skipBlanksAndComments()
                guard let character = current else { return }
                if character == "[" {
                    let isArray = peek(1) == "["
                    advance()
                    if isArray { advance() }
                    skipBlanks()
                    if let first = current, first != "]", !isKeyStart(first) {
                        return stop("a table header must start with a key (letters, digits, \"-\", \"_\" or a quoted key)")
                    }
                    let keys = scanKey()
                    table = resolve(keys, newArrayElement: isArray)
                    record(table)
                    skipToEndOfLine()
                } else if isKeyStart(character) {
                    let path = table + scanKey(in: table)
                    record(path)
                    if current == "=" { advance() }
                    scanValue(path)
                } else {
                    advance()
                }
            }
        }

        /// The absolute path of a table header: prefixes that are arrays of tables refer to
        /// their last element; a new `[[…]]` header gets the next index.
        mutating func resolve(_ keys: [String], newArrayElement: Bool) -> [String] {
            var path: [String] = []
            var plain: [String] = []
            for (offset, key) in keys.enumerated() {
                path.append(key)
                plain.append(key)
                let isLast = offset == keys.count - 1
                if isLast && newArrayElement {
                    let count = arrayTableCounts[plain, default: 0]
                    arrayTableCounts[plain] = count + 1
                    record(path)
                    path.append(String(count))
                } else if let count = arrayTableCounts[plain] {
                    path.append(String(count - 1))
                }
            }
            return path
        }

        func isKeyStart(_ character: Unicode.Scalar) -> Bool {
            character == "\"" || character == "'" || isBareKeyCharacter(character)
        }

        func isBareKeyCharacter(_ character: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(character) || ("A"..."Z").contains(character)
                || ("0"..."9").contains(character) || character == "_" || character == "-"
        }

        /// A dotted key, up to (not including) `=`; after a header's key it also consumes the
        /// closing `]` or `]]`.
        mutating func scanKey(in table: [String] = []) -> [String] {
            var keys: [String] = []
            while true {
                skipBlanks()
                guard let start = current else { break }
                if start == "\"" || start == "'" {
                    let startLine = line
                    let (key, hasNUL) = scanQuotedKey(quote: start)
                    keys.append(key)
                    if hasNUL { escapedNULs.append((table + keys, startLine)) }
                } else if isBareKeyCharacter(start) {
                    var key = ""
                    while let next = current, isBareKeyCharacter(next) {
                        key.unicodeScalars.append(next)
                        advance()
                    }
                    keys.append(key)
                } else {
                    break
                }
                skipBlanks()
                guard current == "." else { break }
                advance()
            }
            while current == "]" { advance() }
            return keys
        }

        /// A quoted key, and whether it holds an escaped NUL.
        mutating func scanQuotedKey(quote: Unicode.Scalar) -> (key: String, hasNUL: Bool) {
            advance()
            var key = ""
            var hasNUL = false
            while let character = current, character != quote, character != "\n" {
                if quote == "\"" && character == "\\" {
                    hasNUL = hasNUL || isEscapedNUL()
                    advance()
                    guard let escaped = current else { break }
                    switch escaped {
                    case "n": key += "\n"
                    case "t": key += "\t"
                    case "u", "U": key.unicodeScalars.append(scanUnicodeEscape(digits: escaped == "u" ? 4 : 8))
                    default: key.unicodeScalars.append(escaped)
                    }
                } else {
                    key.unicodeScalars.append(character)
                }
                advance()
            }
            if current == quote { advance() }
            return (key, hasNUL)
        }

        /// The scalar of `\u` + 4 or `\U` + 8 hex digits, the current position at the `u`; it ends
        /// at the last digit. Invalid escapes (TOMLKit refuses them) give U+FFFD.
        mutating func scanUnicodeEscape(digits: Int) -> Unicode.Scalar {
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard let next = peek(1), next.properties.isASCIIHexDigit, let digit = UInt32(String(next), radix: 16) else {
                    return "\u{FFFD}"
                }
                advance()
                value = value &* 16 &+ digit
            }
            return Unicode.Scalar(value) ?? "\u{FFFD}"
        }

        /// Whether the backslash at the current position starts `\u0000` or `\U00000000`.
        func isEscapedNUL() -> Bool {
            let digits = switch peek(1) {
            case "u": 4
            case "U": 8
            default: 0
            }
            return digits > 0 && (2...(digits + 1)).allSatisfy { peek($0) == "0" }
        }

        /// A value at `path`: strings are skipped, arrays and inline tables are walked so their
        /// elements and keys get lines too.
        mutating func scanValue(_ path: [String], depth: Int = 0) {
            skipBlanks()
            guard let character = current else { return }
            switch character {
            case "\"", "'":
                let startLine = line
                if skipString(quote: character) { escapedNULs.append((path, startLine)) }
            case "[":
                advance()
                var element = 0
                while true {
                    skipBlanksAndComments()
                    guard let next = current else { return }
                    if next == "]" {
                        advance()
                        return
                    }
                    if next == "}" { return stop("expected a value or \"]\" in an array, got \"}\"") }
                    if next == "," {
                        advance()
                        element += 1
                        continue
                    }
                    let elementPath = path + [String(element)]
                    record(elementPath)
                    let before = index
                    guard depth < KeyLocator.maximumDepth else { return stop(Self.tooDeep) }
                    scanValue(elementPath, depth: depth + 1)
                    if index == before { advance() }
                }
            case "{":
                advance()
                while true {
                    skipBlanks()
                    guard let next = current else { return }
                    if next == "}" {
                        advance()
                        return
                    }
                    if next == "," {
                        advance()
                        continue
                    }
                    guard isKeyStart(next) else {
                        advance()
                        continue
                    }
                    let keyPath = path + scanKey(in: path)
                    record(keyPath)
                    if current == "=" { advance() }
                    guard depth < KeyLocator.maximumDepth else { return stop(Self.tooDeep) }
                    scanValue(keyPath, depth: depth + 1)
                }
            default:
                while let next = current, !" \t\r\n,]}#".unicodeScalars.contains(next) {
                    advance()
                }
            }
        }

        /// Skips a string; returns whether it holds an escaped NUL.
        mutating func skipString(quote: Unicode.Scalar) -> Bool {
            let multiline = peek(1) == quote && peek(2) == quote
            let delimiterLength = multiline ? 3 : 1
            var hasNUL = false
            for _ in 0..<delimiterLength { advance() }
            while let character = current {
                if quote == "\"" && character == "\\" {
                    hasNUL = hasNUL || isEscapedNUL()
                    advance()
                    advance()
                    continue
                }
                if character == quote && (!multiline || (peek(1) == quote && peek(2) == quote)) {
                    for _ in 0..<delimiterLength { advance() }
                    // A multi-line string may end with up to two more quotes.
                    while multiline && current == quote { advance() }
                    return hasNUL
                }
                if character == "\n" && !multiline { return hasNUL }
                advance()
            }
            return hasNUL
        }

        static let tooDeep =
            "tables, arrays and inline tables are nested deeper than \(KeyLocator.maximumDepth) levels; no key takes that"

        /// Ends the scan at text TOMLKit must not see.
        mutating func stop(_ message: String) {
            refusal = (line, message)
            index = characters.count
        }

        mutating func skipBlanks() {
            while current == " " || current == "\t" { advance() }
        }

        mutating func skipBlanksAndComments() {
            while let character = current {
                if character == " " || character == "\t" || character == "\r" || character == "\n" {
                    advance()
                } else if character == "#" {
                    skipToEndOfLine()
                } else {
                    return
                }
            }
        }

        mutating func skipToEndOfLine() {
            while let character = current, character != "\n" { advance() }
        }
    }
}

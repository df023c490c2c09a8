/// Finds the line of each table and key in TOML source text, which TOMLKit does not report.
///
/// A path is a list of keys from the root; an element of an array (of tables, or an inline
/// array) is named by its 0-based index, so the second `[[inverter]]`'s `name` is
/// `["inverter", "1", "name"]`. Dotted keys and inline tables record every level. Only valid
/// TOML is scanned (TOMLKit has accepted it first); on anything unexpected the scanner moves on.
struct KeyLocator {
    private var lines: [[String]: Int] = [:]

    /// Scans `source`.
    init(source: String) {
        var scanner = Scanner(characters: Array(source.unicodeScalars))
        scanner.scanDocument()
        lines = scanner.lines
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
                    let keys = scanKey()
                    table = resolve(keys, newArrayElement: isArray)
                    record(table)
                    skipToEndOfLine()
                } else if isKeyStart(character) {
                    let path = table + scanKey()
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
        mutating func scanKey() -> [String] {
            var keys: [String] = []
            while true {
                skipBlanks()
                guard let start = current else { break }
                if start == "\"" || start == "'" {
                    keys.append(scanQuotedKey(quote: start))
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

        mutating func scanQuotedKey(quote: Unicode.Scalar) -> String {
            advance()
            var key = ""
            while let character = current, character != quote, character != "\n" {
                if quote == "\"" && character == "\\" {
                    advance()
                    guard let escaped = current else { break }
                    switch escaped {
                    case "n": key += "\n"
                    case "t": key += "\t"
                    default: key.unicodeScalars.append(escaped)
                    }
                } else {
                    key.unicodeScalars.append(character)
                }
                advance()
            }
            if current == quote { advance() }
            return key
        }

        /// A value at `path`: strings are skipped, arrays and inline tables are walked so their
        /// elements and keys get lines too.
        mutating func scanValue(_ path: [String]) {
            skipBlanks()
            guard let character = current else { return }
            switch character {
            case "\"", "'":
                skipString(quote: character)
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
                    if next == "," {
                        advance()
                        element += 1
                        continue
                    }
                    let elementPath = path + [String(element)]
                    record(elementPath)
                    let before = index
                    scanValue(elementPath)
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
                    let keyPath = path + scanKey()
                    record(keyPath)
                    if current == "=" { advance() }
                    scanValue(keyPath)
                }
            default:
                while let next = current, !" \t\r\n,]}#".unicodeScalars.contains(next) {
                    advance()
                }
            }
        }

        mutating func skipString(quote: Unicode.Scalar) {
            let multiline = peek(1) == quote && peek(2) == quote
            let delimiterLength = multiline ? 3 : 1
            for _ in 0..<delimiterLength { advance() }
            while let character = current {
                if quote == "\"" && character == "\\" {
                    advance()
                    advance()
                    continue
                }
                if character == quote && (!multiline || (peek(1) == quote && peek(2) == quote)) {
                    for _ in 0..<delimiterLength { advance() }
                    // A multi-line string may end with up to two more quotes.
                    while multiline && current == quote { advance() }
                    return
                }
                if character == "\n" && !multiline { return }
                advance()
            }
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

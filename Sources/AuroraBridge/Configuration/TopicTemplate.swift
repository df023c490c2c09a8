/// An MQTT topic with `{prefix}`, `{inverter}`, `{address}` and `{field}` placeholders, split
/// once into literal and placeholder segments so that rendering is a few appends.
public struct TopicTemplate: Sendable, Equatable, CustomStringConvertible {
    /// A placeholder a template may contain.
    public enum Token: String, Sendable, Equatable, CaseIterable {
        /// `{prefix}`: the `[topics] prefix`.
        case prefix
        /// `{inverter}`: the inverter's configured name.
        case inverter
        /// `{field}`: the (possibly renamed) loop field name.
        case field
        /// `{address}`: the inverter's RS485 address, in decimal.
        case address
    }

    /// Why a template text is not a template.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, e.g. `unknown placeholder {inverterName}; did you mean {inverter}?`.
        public var description: String
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case token(Token)
    }

    /// The template as written, e.g. `{prefix}/{inverter}/loop/{field}`.
    public let source: String
    private let segments: [Segment]

    /// The template as written.
    public var description: String { source }

    /// The placeholders the template uses.
    public var tokens: Set<Token> {
        Set(segments.compactMap { if case .token(let token) = $0 { token } else { nil } })
    }

    /// The literal text between the placeholders, joined: what `+`, `#` and `$` are checked in.
    var literalText: String {
        segments.compactMap { if case .literal(let text) = $0 { text } else { nil } }.joined()
    }

    /// Parses `source`: braces enclose a placeholder name; there is no escape for a literal brace.
    public init(_ source: String) throws(ParseError) {
        var segments: [Segment] = []
        var literal = ""
        var rest = Substring(source)
        while let character = rest.first {
            rest = rest.dropFirst()
            switch character {
            case "{":
                guard let close = rest.firstIndex(of: "}") else {
                    throw ParseError(description: "unclosed \"{\"; placeholders are written {prefix}, {inverter}, {address}, {field}")
                }
                let name = String(rest[..<close])
                rest = rest[rest.index(after: close)...]
                guard let token = Token(rawValue: name) else {
                    var message = "unknown placeholder {\(name)}"
                    if let nearest = NameSuggestion.nearest(to: name, in: Token.allCases.map(\.rawValue)) {
                        message += "; did you mean {\(nearest)}?"
                    } else {
                        message += "; allowed: {prefix}, {inverter}, {address}, {field}"
                    }
                    throw ParseError(description: message)
                }
                if !literal.isEmpty {
                    segments.append(.literal(literal))
                    literal = ""
                }
                segments.append(.token(token))
            case "}":
                throw ParseError(description: "\"}\" without \"{\"; braces only enclose placeholders such as {inverter}")
            default:
                literal.append(character)
            }
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.source = source
        self.segments = segments
    }

    /// The topic for the given values; placeholders the template lacks ignore their value.
    public func render(prefix: String, inverter: String = "", address: Int = 0, field: String = "") -> String {
        var topic = ""
        topic.reserveCapacity(source.count + prefix.count + inverter.count + field.count)
        for segment in segments {
            switch segment {
            case .literal(let text): topic += text
            case .token(.prefix): topic += prefix
            case .token(.inverter): topic += inverter
            case .token(.field): topic += field
            case .token(.address): topic += String(address)
            }
        }
        return topic
    }
}

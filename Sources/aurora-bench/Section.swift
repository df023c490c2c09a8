/// One benchmark's part of the report: how it was measured, the figures, and remarks.
struct Section: Sendable {
    /// The heading, e.g. "1. Link: one full poll".
    let title: String
    /// How the figures were obtained (setup and definitions), one sentence per entry.
    var definitions: [String] = []
    /// The figures, in reading order.
    var figures: [Figure] = []
    /// Remarks after the figures: comparisons, findings, caveats.
    var notes: [String] = []

    /// A section titled `title`, to be filled in.
    init(_ title: String) {
        self.title = title
    }

    /// Adds a figure checked against a target.
    mutating func add(_ label: String, _ value: String, target: String, met: Bool) {
        figures.append(Figure(label, value, target: target, met: met))
    }

    /// Adds a figure given for information.
    mutating func add(_ label: String, _ value: String) {
        figures.append(Figure(label, value))
    }

    /// The figures that have a target.
    var targeted: [Figure] { figures.filter { $0.met != nil } }

    /// The section as text: title, definitions, a table of figures (value, target, verdict),
    /// then the notes.
    var text: String {
        var lines = [title, String(repeating: "─", count: title.count)]
        lines += definitions.map { Self.wrap($0, first: "  · ", rest: "    ") }
        if !definitions.isEmpty { lines.append("") }
        let labelWidth = max(24, figures.map(\.label.count).max() ?? 0)
        let valueWidth = max(12, figures.map(\.value.count).max() ?? 0)
        let targetWidth = max(8, figures.compactMap(\.target?.count).max() ?? 0)
        for figure in figures {
            var line = "  " + Self.pad(figure.label, labelWidth) + "  " + Self.pad(figure.value, valueWidth)
            if let target = figure.target {
                line += "  target " + Self.pad(target, targetWidth) + "  " + figure.verdict
            }
            lines.append(Self.trimmedRight(line))
        }
        if !notes.isEmpty { lines.append("") }
        lines += notes.map { Self.wrap($0, first: "  ▸ ", rest: "    ") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func trimmedRight(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Wraps `text` at 100 columns, starting with `first` and indenting later lines with `rest`.
    private static func wrap(_ text: String, first: String, rest: String) -> String {
        var lines: [String] = []
        var line = first
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let prefixOnly = line == first || line == rest
            if !prefixOnly && line.count + 1 + word.count > 100 {
                lines.append(line)
                line = rest
            }
            line += (line == first || line == rest ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

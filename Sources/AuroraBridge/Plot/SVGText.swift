/// Text escaped for an SVG (XML) document, or for HTML (the status page).
public enum SVGText {
    /// `text` with `&`, `<`, `>` and `"` escaped: safe in element content and in a quoted
    /// attribute value.
    public static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `value` with at most `decimals` decimals and no trailing zeros, for coordinates.
    static func number(_ value: Double, decimals: Int = 1) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() { return String(Int64(rounded)) }
        return String(rounded)
    }
}

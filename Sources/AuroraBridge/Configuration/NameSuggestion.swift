/// Finds the valid name nearest to a misspelt one, for "did you mean …?".
enum NameSuggestion {
    /// The candidate closest to `name` (ignoring case), if it is close enough to be a likely typo:
    /// at most 2 edits, or a third of the candidate's length for long names. A swap of two
    /// neighbouring letters counts as one edit, and a name that starts with the other (`warn`,
    /// `warning`; at least 3 letters) as one too.
    static func nearest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().unicodeScalars)
            let shorter = min(target.count, other.count)
            let isPrefix = shorter >= 3 && target[..<shorter] == other[..<shorter]
            let distance = isPrefix ? 1 : editDistance(target, other)
            guard distance <= max(2, candidate.count / 3) else { continue }
            if best.map({ distance < $0.distance }) ?? true {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and
    /// transpositions of neighbours.
    static func editDistance(_ source: [Unicode.Scalar], _ target: [Unicode.Scalar]) -> Int {
        if source.isEmpty { return target.count }
        if target.isEmpty { return source.count }
        var previousPrevious = [Int](repeating: 0, count: target.count + 1)
        var previous = Array(0...target.count)
        var current = [Int](repeating: 0, count: target.count + 1)
        for i in 1...source.count {
            current[0] = i
            for j in 1...target.count {
                let cost = source[i - 1] == target[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, source[i - 1] == target[j - 2], source[i - 2] == target[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[target.count]
    }
}

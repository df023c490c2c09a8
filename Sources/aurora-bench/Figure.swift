/// One measured figure of the report, with its target and verdict when it has one.
struct Figure: Sendable {
    /// What was measured, e.g. "full poll, mean".
    let label: String
    /// The measured value, formatted with its unit.
    let value: String
    /// The target, e.g. "≤ 2 ms"; nil for a figure given for information.
    let target: String?
    /// Whether the target is met; nil for a figure without a target.
    let met: Bool?

    /// A figure checked against a target.
    init(_ label: String, _ value: String, target: String, met: Bool) {
        self.label = label
        self.value = value
        self.target = target
        self.met = met
    }

    /// A figure given for information.
    init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
        target = nil
        met = nil
    }

    /// `PASS`, `MISS`, or empty for an informative figure.
    var verdict: String {
        switch met {
        case true?: "PASS"
        case false?: "MISS"
        case nil: ""
        }
    }
}

import ArgumentParser

/// The value of `aurora-sim --latency-ms`: the mean reply delay and the jitter around it.
struct ReplyLatency {
    /// The mean delay of a reply (``FaultSettings/delay``).
    let mean: Duration
    /// How far a reply's delay is moved, at most, either way (``FaultSettings/delayJitter``).
    let jitter: Duration

    /// Reads `MEAN` or `MEAN:JITTER`, whole milliseconds, neither negative (e.g. `300:100`).
    /// - Throws: a `ValidationError` that shows the expected form.
    init(milliseconds text: String) throws(ValidationError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let mean = Int(parts[0]), mean >= 0,
              let jitter = parts.count == 2 ? Int(parts[1]) : 0, jitter >= 0
        else {
            throw ValidationError("--latency-ms expects MEAN or MEAN:JITTER in milliseconds, e.g. 300:100.")
        }
        self.mean = .milliseconds(mean)
        self.jitter = .milliseconds(jitter)
    }
}

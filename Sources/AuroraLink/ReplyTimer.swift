/// The reply timeout a ``Link`` learns for one inverter from the replies it sees, the way TCP
/// learns its retransmission timeout (RFC 6298): a smoothed latency plus four times its smoothed
/// variation, kept between a floor (the wire time of a request and its reply at the baud rate)
/// and a ceiling (``LinkConfiguration/readTimeout``). Pure: the caller measures and passes the
/// latencies, in seconds.
///
/// Only latencies that certainly belong to their request are recorded (Karn's rule): a clean
/// reply on an aligned link, or the first frame after a request sent on an aligned link that
/// can only be its reply. Until the first one, the timeout is the ceiling.
struct ReplyTimer: Sendable, Hashable {
    /// The smoothed latency, nil before the first sample.
    private(set) var smoothed: Double?
    /// The smoothed mean deviation of the latency.
    private(set) var variation: Double = 0

    /// Adds one measured latency.
    mutating func record(_ latency: Double) {
        let latency = max(0, latency)
        guard let smoothed else {
            self.smoothed = latency
            variation = latency / 2
            return
        }
        variation = 0.75 * variation + 0.25 * abs(smoothed - latency)
        self.smoothed = 0.875 * smoothed + 0.125 * latency
    }

    /// The timeout now: the smoothed latency plus four deviations, at least `floor` and at most
    /// `ceiling`; `ceiling` before any sample.
    func timeout(floor: Duration, ceiling: Duration) -> Duration {
        guard let smoothed else { return ceiling }
        let learned = Duration.seconds(smoothed + 4 * variation)
        return min(ceiling, max(floor, learned))
    }
}

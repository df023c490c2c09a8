/// Folds repeats of one event into one event with a count, so that a flapping condition (an
/// alarm raised and cleared every few seconds, a state going back and forth) cannot flood the
/// event log.
///
/// Events are told apart by source, type and what they reach (the alarm `code`, the state or
/// availability `to`, the clock correction's `by`). The first event of a kind is passed on at
/// once and opens a window of ``window`` seconds; further events of that kind within the window
/// are folded, not passed on. Once the window has passed (at the next event of the kind, or at
/// ``flush(at:)``), the folded ones are passed on as one: the last of them, with `repeats` (how
/// many it stands for) and `since` (when the first of them happened). So one kind makes at most
/// two events a window, whatever its rate. Pure: the caller passes the time.
public struct EventThrottle: Sendable {
    /// The window, in seconds.
    public let window: Int64

    private struct Kind: Hashable {
        var source: String
        var type: EventType
        var reached: BridgeEvent.Value?
    }

    private struct Folding {
        /// When the window opened.
        var opened: Int64
        /// The events folded in it: how many, the first one's time, the last one.
        var count = 0
        var since: Int64 = 0
        var last: BridgeEvent?
    }

    private var open: [Kind: Folding] = [:]

    /// A throttle folding repeats within `window` seconds (default 60).
    public init(window: Int64 = 60) {
        self.window = window
    }

    /// The events to record for `event`, in order: none (folded), or a summary of the folded
    /// ones of its kind whose window has passed, then `event` itself.
    public mutating func admit(_ event: BridgeEvent) -> [BridgeEvent] {
        let kind = Self.kind(of: event)
        if var folding = open[kind], event.dateTime - folding.opened < window {
            if folding.count == 0 { folding.since = event.dateTime }
            folding.count += 1
            folding.last = event
            open[kind] = folding
            return []
        }
        let summary = open[kind].flatMap(Self.summary)
        open[kind] = Folding(opened: event.dateTime)
        return (summary.map { [$0] } ?? []) + [event]
    }

    /// The summaries of the windows that have passed by `now`, oldest first; those windows close.
    public mutating func flush(at now: Int64) -> [BridgeEvent] {
        let passed = open.filter { now - $0.value.opened >= window }
        for kind in passed.keys { open[kind] = nil }
        return passed.values.compactMap(Self.summary).sorted { $0.dateTime < $1.dateTime }
    }

    private static func kind(of event: BridgeEvent) -> Kind {
        Kind(source: event.source, type: event.type, reached: event["code"] ?? event["to"] ?? event["by"])
    }

    private static func summary(of folding: Folding) -> BridgeEvent? {
        guard folding.count > 0, var last = folding.last else { return nil }
        last.details.append(("repeats", .integer(Int64(folding.count))))
        last.details.append(("since", .integer(folding.since)))
        return last
    }
}

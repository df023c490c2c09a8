/// Plays a ``CaptureScript`` back: answers each request with the bytes recorded after it.
///
/// Requests are matched in order. A request equal to the next recorded one gets its recorded
/// bytes (all chunks, written together after the first chunk's delay; none: silence). A request
/// that differs is a divergence: it is answered as the next recorded request *equal to it*
/// (the requests in between are skipped), or with silence if none follows; either way the
/// divergence is reported. After the script ends, every request gets silence.
struct ReplayPlayer: Sendable {
    private let exchanges: [CaptureScript.Exchange]
    private var next = 0
    /// How many requests did not match the next recorded one.
    private(set) var divergences = 0

    init(_ script: CaptureScript) { exchanges = script.exchanges }

    /// What to write in answer to `frame` (nil: silence), and a note if it diverged from the script.
    mutating func answer(to frame: [UInt8]) -> (transmission: Transmission?, note: String?) {
        guard let index = exchanges[next...].firstIndex(where: { $0.request == frame }) else {
            divergences += 1
            return (nil, "request \(Self.hex(frame)) is not in the rest of the capture; silence")
        }
        let note = index == next ? nil : "request \(Self.hex(frame)) differs from the capture's next one; skipped \(index - next) recorded requests"
        if index != next { divergences += 1 }
        next = index + 1
        let replies = exchanges[index].replies
        guard let first = replies.first else { return (nil, note) }
        return (Transmission(bytes: replies.flatMap(\.bytes), delay: first.delay), note)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
